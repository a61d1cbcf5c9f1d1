//! The records of a CSV export, read so that one broken record cannot take the rest of the file
//! with it.
//!
//! A CSV field in quotes may span lines, so a quote that is never closed (a stray `"` in a name)
//! swallows every line after it into one field: a lenient reader then reports one long row and
//! silently loses the rest of the file. This reader parses as the csv crate does (RFC 4180 with
//! `""` for a quote inside quotes, a quote read as text in the middle of a value, CR, LF or CRLF
//! line ends, blank lines skipped), but it knows on which line each record began, and it calls a
//! record broken when its quoted field
//! - reaches the end of the file,
//! - runs on past [`MAX_RECORD_LINES`] lines or [`MAX_RECORD_BYTES`] bytes,
//! - ends, on a later line, with a quote followed by more text (that quote was really the
//!   opening quote of a later row's value),
//! - leaves the record with more values than the header has columns, or
//! - ends, on its own line, with a quote followed by more text, and the record has not as many
//!   values as the header has columns (the values after it shifted).
//!
//! A broken record is handed back as [`Item::Broken`], and reading goes on from the line after
//! the broken record's first line, so every later row is read as the row it is. Lines are kept
//! only while their record is open, so memory stays bounded whatever the file's size.

use std::collections::VecDeque;
use std::io::BufRead;

/// Lines a record may span: a notes or address cell has a few; a quote never closed takes them
/// all.
pub(crate) const MAX_RECORD_LINES: usize = 100;
/// Bytes a record may hold (a line longer than this is not kept either).
pub(crate) const MAX_RECORD_BYTES: usize = 1 << 20;

/// The UTF-8 byte order mark a spreadsheet may put before the header.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What the next call to [`Records::next`] found.
#[derive(Debug, PartialEq)]
pub(crate) enum Item {
    /// a record: its fields are [`Records::fields`]
    Record,
    Broken(Broken),
    End,
}

/// A record that could not be read as one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Broken {
    /// the file's line (1-based, the header's included) the record began on
    pub line: u64,
    /// the field (0-based) whose opening quote was never closed, when one was
    pub quoted_field: Option<usize>,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Why {
    /// the file ended inside the quotes
    EndOfFile,
    /// the quoted field ran past [`MAX_RECORD_LINES`] lines
    TooManyLines,
    /// the record ran past [`MAX_RECORD_BYTES`] bytes
    TooLong,
    /// the quotes closed on this later line with text right after them
    ClosedMidValue { line: u64 },
    /// with the lines it took in, the record has this many values
    TooManyValues { values: usize },
}

impl Broken {
    /// What a DMS administrator reads about the row: what is wrong, where, and what to do.
    pub(crate) fn message(&self, headers: &[String]) -> String {
        let column = |i: usize| match headers.get(i) {
            Some(h) if !h.trim().is_empty() => format!("column `{}`", h.trim()),
            _ => format!("column {}", i + 1),
        };
        let what = match (&self.quoted_field, &self.why) {
            (None, _) => format!(
                "the row on line {} of the file is longer than {} MB",
                self.line,
                MAX_RECORD_BYTES >> 20
            ),
            (Some(f), why) => {
                let opened = format!(
                    "a quote (\") opened in {} on line {} of the file is never closed",
                    column(*f),
                    self.line
                );
                let how = match why {
                    Why::EndOfFile => "the file ends inside it".to_string(),
                    Why::TooManyLines => format!("it runs on past {MAX_RECORD_LINES} lines"),
                    Why::TooLong => format!("it runs on past {} MB", MAX_RECORD_BYTES >> 20),
                    Why::ClosedMidValue { line } => format!(
                        "the next quote, on line {line}, is in the middle of a value: the values after it \
                         would be read into the wrong columns"
                    ),
                    Why::TooManyValues { values } => format!(
                        "read to the next quote, the row would have {values} values for {} columns",
                        headers.len()
                    ),
                };
                format!("{opened} ({how})")
            }
        };
        format!(
            "{what}. This row was skipped and the lines after its first were read as rows of their own; \
             fix the row in the export and import the file again (rows already imported come out unchanged)"
        )
    }
}

/// One line of the file, its terminator included.
struct Line {
    text: Vec<u8>,
    number: u64,
    /// longer than [`MAX_RECORD_BYTES`]: its text was not kept
    overlong: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuotes,
    /// a quote inside quotes: either the first of `""` or the closing quote
    QuoteInQuotes,
}

/// What feeding a line did to the record.
enum Fed {
    /// the line is consumed and the record goes on
    LineEnded,
    /// the record ended; the line's bytes from `rest` on are not part of it
    RecordEnded {
        rest: usize,
    },
    Broken(Why),
}

pub(crate) struct Records<R> {
    input: R,
    /// lines to read before the input's next: those after a broken record's first, or the rest
    /// of a line after a lone CR ended a record
    again: VecDeque<Line>,
    /// the number of the input's next line
    next_line: u64,
    input_done: bool,
    /// a line's buffer, kept for the next line when its record did not keep it
    spare: Vec<u8>,
    /// the header's column count, once known
    columns: Option<usize>,
    // the record being read:
    state: State,
    /// its lines read to their end without ending it
    open_lines: Vec<Line>,
    /// its fields' bytes, and where each field ends in them
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// the field whose quotes are open, and the line they opened on
    quote_opened: Option<(usize, u64)>,
    /// the first field whose quotes were open at the end of a line (or closed in the middle of
    /// its value): the one a broken record is blamed on when no quotes are open
    multiline_field: Option<usize>,
    /// the first field whose quotes closed in the middle of its value, and on which line
    closed_mid_value: Option<(usize, u64)>,
}

impl<R: BufRead> Records<R> {
    pub(crate) fn new(input: R) -> Records<R> {
        Records {
            input,
            again: VecDeque::new(),
            next_line: 1,
            input_done: false,
            spare: Vec::new(),
            columns: None,
            state: State::StartRecord,
            open_lines: Vec::new(),
            bytes: Vec::new(),
            ends: Vec::new(),
            quote_opened: None,
            multiline_field: None,
            closed_mid_value: None,
        }
    }

    /// From now on a record spanning lines with more values than this is broken (see the module).
    pub(crate) fn expect_columns(&mut self, columns: usize) {
        self.columns = Some(columns);
    }

    /// The fields of the record [`Records::next`] last returned, as text; Err with the (0-based)
    /// field that is not UTF-8.
    pub(crate) fn fields(&self) -> Result<Vec<&str>, usize> {
        let mut start = 0;
        self.ends
            .iter()
            .enumerate()
            .map(|(i, &end)| {
                let field = &self.bytes[start..end];
                start = end;
                std::str::from_utf8(field).map_err(|_| i)
            })
            .collect()
    }

    /// The next record, broken record, or the end of the file.
    pub(crate) fn next(&mut self) -> std::io::Result<Item> {
        self.begin_record();
        loop {
            let Some(line) = self.read_line()? else {
                return Ok(self.at_end());
            };
            if line.overlong {
                return Ok(self.broken(line, Why::TooLong));
            }
            if self.open_lines.len() >= MAX_RECORD_LINES {
                return Ok(self.broken(line, Why::TooManyLines));
            }
            match self.feed(&line) {
                Fed::LineEnded if self.bytes.len() > MAX_RECORD_BYTES => {
                    return Ok(self.broken(line, Why::TooLong));
                }
                Fed::LineEnded if self.state == State::StartRecord => self.spare = line.text, // a blank line
                Fed::LineEnded => self.open_lines.push(line),
                Fed::RecordEnded { rest } => {
                    // a lone CR ended the record: the rest of the line comes next
                    let rest = (rest < line.text.len() && line.text[rest..] != *b"\n").then(|| Line {
                        text: line.text[rest..].to_vec(),
                        number: line.number,
                        overlong: false,
                    });
                    let item = self.ended(line);
                    if let (Item::Record, Some(rest)) = (&item, rest) {
                        self.again.push_front(rest);
                    }
                    return Ok(item);
                }
                Fed::Broken(why) => return Ok(self.broken(line, why)),
            }
        }
    }

    fn begin_record(&mut self) {
        self.state = State::StartRecord;
        self.open_lines.clear();
        self.bytes.clear();
        self.ends.clear();
        self.quote_opened = None;
        self.multiline_field = None;
        self.closed_mid_value = None;
    }

    /// The next line: one to read again, else the input's (at most [`MAX_RECORD_BYTES`] of it
    /// kept); None at the end of the input.
    fn read_line(&mut self) -> std::io::Result<Option<Line>> {
        if let Some(line) = self.again.pop_front() {
            return Ok(Some(line));
        }
        if self.input_done {
            return Ok(None);
        }
        let mut text = std::mem::take(&mut self.spare);
        text.clear();
        let mut overlong = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                self.input_done = true;
                break;
            }
            let (take, line_ends) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if !overlong && text.len() + take > MAX_RECORD_BYTES {
                overlong = true;
                text = Vec::new();
            }
            if !overlong {
                text.extend_from_slice(&available[..take]);
            }
            self.input.consume(take);
            if line_ends {
                break;
            }
        }
        if text.is_empty() && !overlong {
            return Ok(None);
        }
        if self.next_line == 1 && text.starts_with(BOM) {
            text.drain(..BOM.len());
        }
        let number = self.next_line;
        self.next_line += 1;
        Ok(Some(Line { text, number, overlong }))
    }

    /// Parse a line into the record (as the csv crate does: a quote is special only at the
    /// start of a field).
    fn feed(&mut self, line: &Line) -> Fed {
        let text = &line.text[..];
        let mut i = 0;
        while i < text.len() {
            let b = text[i];
            match self.state {
                State::StartRecord if b == b'\r' || b == b'\n' => {} // a blank line is no record
                State::StartRecord => {
                    self.state = State::StartField;
                    continue;
                }
                State::StartField => match b {
                    b'"' => {
                        self.state = State::InQuotes;
                        self.quote_opened = Some((self.ends.len(), line.number));
                    }
                    b',' => self.ends.push(self.bytes.len()),
                    b'\r' | b'\n' => return self.end_record(i),
                    _ => {
                        self.bytes.push(b);
                        self.state = State::InField;
                    }
                },
                State::InField => {
                    let value = &text[i..];
                    match value.iter().position(|&c| c == b',' || c == b'\r' || c == b'\n') {
                        None => {
                            self.bytes.extend_from_slice(value);
                            break;
                        }
                        Some(k) => {
                            self.bytes.extend_from_slice(&value[..k]);
                            i += k;
                            if text[i] != b',' {
                                return self.end_record(i);
                            }
                            self.ends.push(self.bytes.len());
                            self.state = State::StartField;
                        }
                    }
                }
                State::InQuotes => {
                    let quoted = &text[i..];
                    match quoted.iter().position(|&c| c == b'"') {
                        None => {
                            self.bytes.extend_from_slice(quoted);
                            break;
                        }
                        Some(k) => {
                            self.bytes.extend_from_slice(&quoted[..k]);
                            i += k;
                            self.state = State::QuoteInQuotes;
                        }
                    }
                }
                State::QuoteInQuotes => match b {
                    b'"' => {
                        self.bytes.push(b'"');
                        self.state = State::InQuotes;
                    }
                    b',' => {
                        self.ends.push(self.bytes.len());
                        self.state = State::StartField;
                        self.quote_opened = None;
                    }
                    b'\r' | b'\n' => return self.end_record(i),
                    _ => {
                        // text right after closing quotes: kept, as the csv crate keeps it, unless
                        // the quotes spanned lines (then they were never meant to close here);
                        // on one line, the record is broken if its values shifted (see `ended`)
                        if b != b' ' && b != b'\t' {
                            let spanned = self.quote_opened.is_some_and(|(_, opened)| opened < line.number);
                            if spanned {
                                return Fed::Broken(Why::ClosedMidValue { line: line.number });
                            }
                            if self.closed_mid_value.is_none() {
                                self.closed_mid_value = self.quote_opened.map(|(f, _)| (f, line.number));
                            }
                        }
                        self.bytes.push(b);
                        self.state = State::InField;
                        self.quote_opened = None;
                    }
                },
            }
            i += 1;
        }
        if self.state == State::InQuotes && self.multiline_field.is_none() {
            self.multiline_field = self.quote_opened.map(|(f, _)| f);
        }
        Fed::LineEnded
    }

    /// The terminator at `i` ends the record.
    fn end_record(&mut self, i: usize) -> Fed {
        self.ends.push(self.bytes.len());
        self.state = State::StartRecord;
        self.quote_opened = None;
        Fed::RecordEnded { rest: i + 1 }
    }

    /// The record that ended on `last` (its last line): broken after all if it spans lines and
    /// has more values than the header, or if quotes closed in the middle of a value and it has
    /// not as many values as the header (they shifted).
    fn ended(&mut self, last: Line) -> Item {
        if let Some(columns) = self.columns {
            let values = self.ends.len();
            if !self.open_lines.is_empty() && values > columns {
                return self.broken(last, Why::TooManyValues { values });
            }
            if let (Some((field, line)), true) = (self.closed_mid_value, values != columns) {
                self.multiline_field = self.multiline_field.or(Some(field));
                return self.broken(last, Why::ClosedMidValue { line });
            }
        }
        self.spare = last.text;
        Item::Record
    }

    /// The input ended: the record in progress ends with it, unless its quotes are open.
    fn at_end(&mut self) -> Item {
        let Some(last) = self.open_lines.pop() else {
            return Item::End;
        };
        if self.state == State::InQuotes {
            return self.broken(last, Why::EndOfFile);
        }
        self.ends.push(self.bytes.len());
        self.state = State::StartRecord;
        self.ended(last)
    }

    /// Give up on the record whose lines are the open ones and `current`: the lines after its
    /// first are read again, as records of their own.
    fn broken(&mut self, current: Line, why: Why) -> Item {
        let quoted_field = self.quote_opened.map(|(f, _)| f).or(self.multiline_field);
        let mut lines = std::mem::take(&mut self.open_lines);
        lines.push(current);
        let line = lines[0].number;
        for again in lines.into_iter().skip(1).rev() {
            self.again.push_front(again);
        }
        self.begin_record();
        Item::Broken(Broken {
            line,
            quoted_field,
            why,
        })
    }
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
