//! The domain's word enums (`word_enum!`) as TEXT columns: written as their word, read back
//! through `parse`; a word the enum does not know is a conversion error naming it (the
//! columns' CHECK constraints keep such words out).

use crate::domain::compliance::Purpose;
use crate::domain::consent::{ConsentSource, ReviewDecision};
use crate::domain::customer::{FinanceType, LeadStatus};
use crate::domain::deal::{Condition, SaleType};
use crate::domain::experiments::{Campaign, ExperimentStatus, Metric};
use crate::domain::inbox::ConversationStatus;
use crate::domain::messages::{DraftStatus, MessageStatus};
use crate::domain::offers::{OfferSendStatus, Phase};
use crate::domain::questions::AnswerType;
use crate::domain::users::Role;
use crate::domain::visit::ServiceEventKind;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

macro_rules! stored_as_word {
    ($($t:ty),+ $(,)?) => {
        $(
            impl ToSql for $t {
                fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                    Ok(ToSqlOutput::from(self.as_str()))
                }
            }

            impl FromSql for $t {
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    let word = value.as_str()?;
                    <$t>::parse(word).ok_or_else(|| {
                        FromSqlError::Other(
                            format!("`{word}` is not a {}; expected one of: {}", stringify!($t), <$t>::words()).into(),
                        )
                    })
                }
            }
        )+
    };
}

stored_as_word!(
    Role,
    SaleType,
    Condition,
    MessageStatus,
    DraftStatus,
    OfferSendStatus,
    Phase,
    Purpose,
    FinanceType,
    LeadStatus,
    ServiceEventKind,
    ConversationStatus,
    ConsentSource,
    ReviewDecision,
    AnswerType,
    Campaign,
    ExperimentStatus,
    Metric
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_written_and_read_back_and_unknown_ones_refused() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for s in MessageStatus::ALL {
            let back: MessageStatus = conn.query_row("SELECT ?1", [s], |r| r.get(0)).unwrap();
            assert_eq!(back, s);
        }
        let err = conn
            .query_row("SELECT 'on_fire'", [], |r| r.get::<_, MessageStatus>(0))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`on_fire` is not a MessageStatus"), "{err}");
    }
}
