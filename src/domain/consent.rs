//! Consent: where an opt-out or opt-in came from, and what a rep decided about words that may
//! have been one.

super::word_enum! {
    /// How consent was given or taken back.
    pub enum ConsentSource {
        /// a carrier keyword as the whole text (STOP, START)
        Keyword = "keyword",
        /// the customer's own words ("please stop texting me": `domain::revocation`)
        Reply = "reply",
        /// the carrier reported the number opted out (Twilio error 21610)
        Carrier = "carrier",
        /// a person at the dealership recorded it
        Manual = "manual",
        Import = "import",
        Api = "api",
        /// a lead form's consent box
        LeadForm = "lead_form",
    }
}

impl ConsentSource {
    /// The source a suppression row records (a lead form's opt-out is the API's).
    pub fn for_suppression(self) -> ConsentSource {
        match self {
            ConsentSource::LeadForm => ConsentSource::Api,
            s => s,
        }
    }
}

super::word_enum! {
    /// What a rep decided about a text that may have revoked consent.
    pub enum ReviewDecision {
        /// it was an opt-out: recorded as one (source manual)
        OptedOut = "opted_out",
        /// it was not: automated texts may go again
        NotAnOptOut = "not_an_opt_out",
    }
}
