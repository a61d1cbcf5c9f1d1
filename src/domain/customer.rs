//! What a customer record says in words the database constrains: where the customer is in the
//! sales funnel and how they paid for a vehicle they own.

super::word_enum! {
    /// Where a lead stands (`leads.status`); new unless said otherwise, as in the schema.
    #[derive(Default)]
    pub enum LeadStatus {
        /// just arrived (a lead form, an unknown number texting in)
        #[default]
        New = "new",
        Contacted = "contacted",
        Engaged = "engaged",
        /// has bought or serviced here (a DMS customer)
        Customer = "customer",
        Lost = "lost",
    }
}

super::word_enum! {
    /// How a vehicle was paid for (`ownerships.finance_type`).
    pub enum FinanceType {
        Loan = "loan",
        Lease = "lease",
        Cash = "cash",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_the_ones_the_schema_allows() {
        // migrations/V1__base.sql (leads.status) and V2__vertical.sql (ownerships.finance_type)
        assert_eq!(LeadStatus::words(), "new, contacted, engaged, customer, lost");
        assert_eq!(FinanceType::words(), "loan, lease, cash");
        assert_eq!(FinanceType::parse("finance"), None);
        assert_eq!(serde_json::to_string(&LeadStatus::Customer).unwrap(), r#""customer""#);
    }
}
