//! The CSV reader: the csv crate's reading of well-formed files, and a broken record reported
//! with the rows after it read again.

use super::*;

/// Everything the reader makes of `text`: records as their fields, broken ones as `Broken`.
fn read(text: &[u8], columns: Option<usize>) -> Vec<Result<Vec<String>, Broken>> {
    let mut records = Records::new(text);
    if let Some(n) = columns {
        records.expect_columns(n);
    }
    let mut out = Vec::new();
    loop {
        match records.next().unwrap() {
            Item::End => return out,
            Item::Broken(b) => out.push(Err(b)),
            Item::Record => out.push(Ok(records.fields().unwrap().into_iter().map(str::to_string).collect())),
        }
    }
}

/// What the csv crate makes of `text` (flexible rows, no header, no trimming).
fn csv_crate(text: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn records(text: &[u8]) -> Vec<Vec<String>> {
    read(text, None)
        .into_iter()
        .map(|r| r.unwrap_or_else(|b| panic!("broken: {b:?}")))
        .collect()
}

#[test]
fn reads_well_formed_files_as_the_csv_crate_does() {
    let files: &[&[u8]] = &[
        b"a,b,c\r\n1,2,3\r\n",
        b"a,b,c\n1,2,3",
        b"a,b\r1,2\r3,4",
        b"a,b\n\n\r\n1,2\n\n",
        b"a,\"b,c\",d\n\"x \"\"y\"\"\",,\n",
        b"ro,notes\n1,\"line one\r\nline two\nline three\"\n2,plain\n",
        b"\"a\"b,c\n\"\"\n,\n",
        b"\"Bob \"The Builder\" Smith\",1\n",
        b"x\"y\"z,\"q\" ,r\n",
        b"\"quoted at the end\"",
        b"one\n\"two\nlines\"",
    ];
    for file in files {
        assert_eq!(records(file), csv_crate(file), "{}", String::from_utf8_lossy(file));
    }
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_header() {
    assert_eq!(records(b"\xEF\xBB\xBFRO Number,Open Date\n1,2\n")[0][0], "RO Number");
}

proptest::proptest! {
    /// Any table the csv crate writes (quotes, commas, line breaks in cells) reads back as it
    /// was written.
    #[test]
    fn reads_back_what_the_csv_crate_writes(
        table in proptest::collection::vec(
            proptest::collection::vec("[a\",\r\n ]{0,6}", 1..5), 1..20)
    ) {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        for row in &table {
            w.write_record(row).unwrap();
        }
        let text = w.into_inner().unwrap();
        proptest::prop_assert_eq!(read(&text, None).into_iter().map(Result::unwrap).collect::<Vec<_>>(), table);
    }
}

/// A header and `n` rows of an export, `{quote}` standing for the name's quote mark in row `i`.
fn export(n: usize, name: impl Fn(usize) -> String) -> String {
    let mut s = String::from("RO Number,Open Date,Customer Name,Cell Phone\r\n");
    for i in 1..=n {
        s += &format!("R{i},11/02/2026,{},512-555-0100\r\n", name(i));
    }
    s
}

fn shape(read: &[Result<Vec<String>, Broken>]) -> (usize, Vec<(usize, Broken)>) {
    let broken = read
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.clone().err().map(|b| (i + 1, b)))
        .collect();
    (read.len(), broken)
}

#[test]
fn a_quote_that_swallows_the_rest_of_the_file_breaks_its_row_only() {
    // row 5 (line 6) opens a quote no later line closes
    let text = export(1000, |i| {
        if i == 5 {
            "\"DOE5, JANE".into()
        } else {
            format!("DOE{i} JANE")
        }
    });
    let got = read(text.as_bytes(), Some(4));
    let (records, broken) = shape(&got);
    assert_eq!(records, 1001, "the header, 999 rows and the broken one");
    assert_eq!(
        broken,
        vec![(
            6,
            Broken {
                line: 6,
                quoted_field: Some(2),
                why: Why::TooManyLines
            }
        )]
    );
    assert_eq!(got[6].as_ref().unwrap()[0], "R6", "the next row is read as itself");
    assert_eq!(got[1000].as_ref().unwrap()[0], "R1000");
}

#[test]
fn a_quote_never_closed_before_the_end_of_the_file_breaks_its_row_only() {
    let text = export(8, |i| {
        if i == 5 {
            "\"DOE5, JANE".into()
        } else {
            format!("DOE{i} JANE")
        }
    });
    let (records, broken) = shape(&read(text.as_bytes(), Some(4)));
    assert_eq!(records, 9);
    assert_eq!(
        broken,
        vec![(
            6,
            Broken {
                line: 6,
                quoted_field: Some(2),
                why: Why::EndOfFile
            }
        )]
    );
    // the last line itself
    let text = "RO Number,Customer Name\nR1,\"DOE, JANE";
    assert_eq!(shape(&read(text.as_bytes(), Some(2))).1[0].1.why, Why::EndOfFile);
}

#[test]
fn a_quote_closed_only_by_a_later_rows_quote_breaks_its_row_only() {
    // the later rows quote their names: the stray quote "closes" at the next row's opening one
    let text = export(50, |i| {
        if i == 5 {
            "\"DOE5, JANE".into()
        } else {
            format!("\"DOE{i}, JANE\"")
        }
    });
    let got = read(text.as_bytes(), Some(4));
    let (records, broken) = shape(&got);
    assert_eq!(records, 51);
    assert_eq!(
        broken,
        vec![(
            6,
            Broken {
                line: 6,
                quoted_field: Some(2),
                why: Why::ClosedMidValue { line: 7 }
            }
        )]
    );
    assert_eq!(got[6].as_ref().unwrap()[2], "DOE6, JANE");
    // closed at the end of a value, with more values than the header has columns
    let text = "a,b,c\n1,\"x,2\n3,y\",z,w\n4,5,6\n";
    let got = read(text.as_bytes(), Some(3));
    assert_eq!(shape(&got).1[0].1.why, Why::TooManyValues { values: 4 });
    assert_eq!(got[2], Ok(vec!["3".into(), "y\"".into(), "z".into(), "w".into()]));
    assert_eq!(got[3], Ok(vec!["4".into(), "5".into(), "6".into()]));
    // on one line: a stray quote closed by the next value's opening one shifts the values after it
    let text = "a,b,c,d\n1,\"x,\"23\",4\n5,\"Bob \"The Builder\" Smith\",6,7\n";
    let got = read(text.as_bytes(), Some(4));
    assert_eq!(
        shape(&got).1,
        vec![(
            2,
            Broken {
                line: 2,
                quoted_field: Some(1),
                why: Why::ClosedMidValue { line: 2 }
            }
        )]
    );
    assert_eq!(
        got[2],
        Ok(vec![
            "5".into(),
            "Bob The Builder\" Smith\"".into(),
            "6".into(),
            "7".into()
        ])
    );
}

#[test]
fn a_cell_on_several_lines_is_one_row() {
    let text = "RO Number,Notes,Total\nR1,\"brakes\nrotors, pads\n\n  front\",10\nR2,x,20\n";
    assert_eq!(
        records(text.as_bytes()),
        vec![
            vec!["RO Number", "Notes", "Total"],
            vec!["R1", "brakes\nrotors, pads\n\n  front", "10"],
            vec!["R2", "x", "20"],
        ]
    );
    // up to the limit of lines
    let long = format!("a,b\n1,\"{}\"\n2,3\n", "x\n".repeat(MAX_RECORD_LINES - 1));
    assert_eq!(read(long.as_bytes(), Some(2)).len(), 3);
    let longer = format!("a,b\n1,\"{}\"\n2,3\n", "x\n".repeat(MAX_RECORD_LINES));
    let (_, broken) = shape(&read(longer.as_bytes(), Some(2)));
    assert_eq!((broken[0].0, &broken[0].1.why), (2, &Why::TooManyLines));
}

#[test]
fn a_line_too_long_to_keep_is_a_broken_row_and_the_next_line_is_read() {
    let text = format!("a,b\n1,{}\n2,3\n", "x".repeat(MAX_RECORD_BYTES + 10));
    let got = read(text.as_bytes(), Some(2));
    assert_eq!(
        shape(&got).1,
        vec![(
            2,
            Broken {
                line: 2,
                quoted_field: None,
                why: Why::TooLong
            }
        )]
    );
    assert_eq!(got[2], Ok(vec!["2".into(), "3".into()]));
}

#[test]
fn the_message_says_where_and_what_to_do() {
    let b = Broken {
        line: 6,
        quoted_field: Some(2),
        why: Why::TooManyLines,
    };
    let headers = ["RO Number", "Open Date", "Customer Name"].map(String::from);
    assert_eq!(
        b.message(&headers),
        "a quote (\") opened in column `Customer Name` on line 6 of the file is never closed \
         (it runs on past 100 lines). This row was skipped and the lines after its first were read \
         as rows of their own; fix the row in the export and import the file again (rows already \
         imported come out unchanged)"
    );
}
