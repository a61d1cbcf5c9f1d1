//! Conversations (one per customer): the inbox list and what a rep does to it. The table is kept
//! up to date by triggers on `messages_in` and `messages_out` (V12), so a page of any view is
//! one range read of that view's index from the cursor on, never an aggregate over messages.

use super::Cached;
use crate::db::WriteTx;
use crate::domain::inbox::{ConversationStatus, Cursor, InboxView, Snooze};
use crate::domain::phone::PhoneE164;
use crate::error::{Error, Result};
use rusqlite::types::ToSql;
use rusqlite::{params, Connection};

/// One row of the inbox list.
#[derive(Debug, Clone)]
pub struct ConversationRow {
    pub lead_id: i64,
    pub name: String,
    pub phone: Option<PhoneE164>,
    pub status: ConversationStatus,
    pub snoozed_until: Option<i64>,
    pub assignee_id: Option<i64>,
    /// the assignee's name, or email when they have none
    pub assignee: Option<String>,
    pub last_at: i64,
    pub last_inbound: bool,
    pub last_body: String,
    pub unread: bool,
    pub opted_out: bool,
}

impl ConversationRow {
    pub fn cursor(&self) -> Cursor {
        Cursor {
            last_at: self.last_at,
            lead_id: self.lead_id,
        }
    }
}

const COLUMNS: &str = "c.lead_id, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), l.phone_e164,
    c.status, c.snoozed_until, c.assignee_id, coalesce(u.display_name, u.email), c.last_at, c.last_inbound,
    c.last_body, c.unread, c.opted_out";

fn row(r: &rusqlite::Row) -> rusqlite::Result<ConversationRow> {
    Ok(ConversationRow {
        lead_id: r.get(0)?,
        name: r.get(1)?,
        phone: r.get(2)?,
        status: r.get(3)?,
        snoozed_until: r.get(4)?,
        assignee_id: r.get(5)?,
        assignee: r.get(6)?,
        last_at: r.get(7)?,
        last_inbound: r.get(8)?,
        last_body: r.get(9)?,
        unread: r.get(10)?,
        opted_out: r.get(11)?,
    })
}

/// The index a view reads and what it asks of a row (the literals match the partial indexes'
/// conditions, so each index answers its view alone). `?5` is the signed-in user.
fn view_sql(view: InboxView) -> (&'static str, &'static str) {
    match view {
        InboxView::Open => ("conversations_status", "c.status = 'open'"),
        InboxView::NeedsReply => (
            "conversations_needs_reply",
            "c.status = 'open' AND c.last_inbound = 1 AND c.opted_out = 0",
        ),
        InboxView::Unread => ("conversations_unread", "c.unread = 1"),
        InboxView::Mine => (
            "conversations_assignee",
            "c.status = 'open' AND c.assignee_id IS NOT NULL AND c.assignee_id = ?5",
        ),
        InboxView::Unassigned => (
            "conversations_unassigned",
            "c.status = 'open' AND c.assignee_id IS NULL",
        ),
        InboxView::Snoozed => ("conversations_status", "c.status = 'snoozed'"),
        InboxView::Closed => ("conversations_status", "c.status = 'closed'"),
        InboxView::OptedOut => ("conversations_opted_out", "c.opted_out = 1"),
        InboxView::All => ("conversations_all", "1"),
    }
}

/// The SQL of one page of a view: the conversations after `cursor` (`?2`, `?3`), newest
/// first, at most `?4`, of account `?1`.
pub fn page_sql(view: InboxView) -> String {
    let (index, filter) = view_sql(view);
    format!(
        "SELECT {COLUMNS}
         FROM conversations c INDEXED BY {index}
         CROSS JOIN leads l ON l.id = c.lead_id
         LEFT JOIN users u ON u.id = c.assignee_id
         WHERE c.account_id = ?1 AND {filter} AND (c.last_at, c.lead_id) < (?2, ?3)
         ORDER BY c.last_at DESC, c.lead_id DESC
         LIMIT ?4"
    )
}

/// One page of a view of the account's inbox, after `cursor`.
pub fn page(
    conn: &Connection,
    account_id: i64,
    user_id: i64,
    view: InboxView,
    cursor: Cursor,
    limit: i64,
) -> Result<Vec<ConversationRow>> {
    let mut stmt = conn.prepare_cached(&page_sql(view))?;
    let mut args: Vec<&dyn ToSql> = vec![&account_id, &cursor.last_at, &cursor.lead_id, &limit];
    if view == InboxView::Mine {
        args.push(&user_id);
    }
    let rows = stmt
        .query_map(args.as_slice(), row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The query plan of each view's page (for the test that each reads its own index).
pub fn explain_views(conn: &Connection) -> Result<Vec<(InboxView, String)>> {
    let mut out = Vec::new();
    for view in InboxView::ALL {
        let n = if view == InboxView::Mine { 5 } else { 4 };
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", page_sql(view)))?;
        let steps = stmt
            .query_map(rusqlite::params_from_iter(vec![1i64; n]), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push((view, steps.join("; ")));
    }
    Ok(out)
}

/// The conversations of these leads (search results), newest activity first; a lead with no
/// texts yet comes last, as an open conversation with nothing in it.
pub fn of_leads(conn: &Connection, account_id: i64, lead_ids: &[i64]) -> Result<Vec<ConversationRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), l.phone_e164,
                coalesce(c.status, 'open'), c.snoozed_until, c.assignee_id, coalesce(u.display_name, u.email),
                coalesce(c.last_at, 0), coalesce(c.last_inbound, 0), coalesce(c.last_body, ''),
                coalesce(c.unread, 0), l.opted_out
         FROM leads l
         LEFT JOIN conversations c ON c.account_id = l.account_id AND c.lead_id = l.id
         LEFT JOIN users u ON u.id = c.assignee_id
         WHERE l.id = ?2 AND l.account_id = ?1",
    )?;
    let mut rows = Vec::with_capacity(lead_ids.len());
    for id in lead_ids {
        if let Some(r) = stmt.query_map(params![account_id, id], row)?.next() {
            rows.push(r?);
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse((r.last_at, r.lead_id)));
    Ok(rows)
}

/// What a rep does to conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Close,
    Reopen,
    Snooze(Snooze),
    /// to this user of the account, or to nobody
    Assign(Option<i64>),
    MarkRead,
    MarkUnread,
}

/// Apply `change` to the account's conversations with these leads: all of them or, when one
/// is not the account's (or has no conversation), none (`Error::NotFound`); assigning to a
/// user of another account is `Error::Invalid`. Returns how many changed.
pub fn apply(tx: &WriteTx, account_id: i64, lead_ids: &[i64], change: Change, now: i64) -> Result<usize> {
    for id in lead_ids {
        let found: bool = tx.query_row_cached(
            "SELECT EXISTS(SELECT 1 FROM conversations WHERE account_id = ?1 AND lead_id = ?2)",
            params![account_id, id],
            |r| r.get(0),
        )?;
        if !found {
            return Err(Error::NotFound(format!("conversation {id}")));
        }
    }
    if let Change::Assign(Some(user_id)) = change {
        if !super::users::in_account(tx, account_id, user_id)? {
            return Err(Error::invalid(
                "unknown_user",
                "That person is not one of this store's users.",
            ));
        }
    }
    let mut n = 0;
    for id in lead_ids {
        let key = params![account_id, id, now];
        n += match change {
            Change::Close => tx.execute_cached(
                "UPDATE conversations SET status = 'closed', snoozed_until = NULL, updated_at = ?3
                 WHERE account_id = ?1 AND lead_id = ?2",
                key,
            )?,
            Change::Reopen => tx.execute_cached(
                "UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = ?3
                 WHERE account_id = ?1 AND lead_id = ?2",
                key,
            )?,
            Change::Snooze(s) => {
                let until = match s {
                    Snooze::Until(t) => Some(t),
                    Snooze::UntilReply => None,
                };
                tx.execute_cached(
                    "UPDATE conversations SET status = 'snoozed', snoozed_until = ?4, updated_at = ?3
                     WHERE account_id = ?1 AND lead_id = ?2",
                    params![account_id, id, now, until],
                )?
            }
            Change::Assign(user) => tx.execute_cached(
                "UPDATE conversations SET assignee_id = ?4, updated_at = ?3 WHERE account_id = ?1 AND lead_id = ?2",
                params![account_id, id, now, user],
            )?,
            Change::MarkRead => tx.execute_cached(
                "UPDATE conversations SET unread = 0, read_at = ?3 WHERE account_id = ?1 AND lead_id = ?2",
                key,
            )?,
            Change::MarkUnread => tx.execute_cached(
                "UPDATE conversations SET unread = 1, updated_at = ?3 WHERE account_id = ?1 AND lead_id = ?2",
                key,
            )?,
        };
    }
    Ok(n)
}

/// Mark a conversation read (the conversation page calls this when a rep opens it). A lead
/// with no conversation yet has nothing to mark.
pub fn mark_read(tx: &WriteTx, account_id: i64, lead_id: i64, now: i64) -> Result<()> {
    tx.execute_cached(
        "UPDATE conversations SET unread = 0, read_at = ?3 WHERE account_id = ?1 AND lead_id = ?2 AND unread = 1",
        params![account_id, lead_id, now],
    )?;
    Ok(())
}

/// Is any of the account's snoozes over at `now`? A read, so the inbox writes only when one is.
pub fn any_snooze_over(conn: &Connection, account_id: i64, now: i64) -> Result<bool> {
    Ok(conn.query_row_cached(
        "SELECT EXISTS(SELECT 1 FROM conversations INDEXED BY conversations_snoozed_until
                        WHERE account_id = ?1 AND status = 'snoozed' AND snoozed_until IS NOT NULL
                          AND snoozed_until <= ?2)",
        params![account_id, now],
        |r| r.get(0),
    )?)
}

/// Open again every conversation of the account whose snooze is over at `now`; returns how many.
pub fn wake_snoozed(tx: &WriteTx, account_id: i64, now: i64) -> Result<usize> {
    Ok(tx.execute_cached(
        "UPDATE conversations INDEXED BY conversations_snoozed_until
            SET status = 'open', snoozed_until = NULL, updated_at = ?2
         WHERE account_id = ?1 AND status = 'snoozed' AND snoozed_until IS NOT NULL AND snoozed_until <= ?2",
        params![account_id, now],
    )?)
}

/// The account's latest conversation activity, as the inbox's live stream compares it: the
/// newest (last_at, lead_id), read from the front of `conversations_all`.
pub fn latest_activity(conn: &Connection, account_id: i64) -> Result<String> {
    use rusqlite::OptionalExtension;
    let latest: Option<(i64, i64)> = conn
        .query_row_cached(
            "SELECT last_at, lead_id FROM conversations WHERE account_id = ?1 ORDER BY last_at DESC, lead_id DESC LIMIT 1",
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(latest.map(|(at, id)| format!("{at}.{id}")).unwrap_or_default())
}
