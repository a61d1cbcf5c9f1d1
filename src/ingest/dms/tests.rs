use super::values::*;
use super::*;
use chrono::TimeZone;
use std::collections::HashMap;

const TZ: Tz = chrono_tz::America::Chicago;
const LATEST: i32 = 2027;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../fixtures/dms/", $name)).as_slice()
    };
}

type Mapped = Result<(EventRow, Vec<RowIssue>), RowIssue>;

/// Reads a fixture the way an import does: csv crate, flexible rows, BOM stripped from the first header.
fn import(bytes: &[u8]) -> Result<(ColumnMap, Vec<Mapped>), String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    if let Some(first) = headers.first_mut() {
        *first = first.trim_start_matches('\u{feff}').to_string();
    }
    let map = map_columns(&headers, &HashMap::new())?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells: Vec<&str> = record.iter().collect();
        rows.push(map_row(&map, i + 1, &cells, TZ, LATEST));
    }
    Ok((map, rows))
}

#[derive(Default)]
struct Summary {
    ok: Vec<EventRow>,
    refused: Vec<RowIssue>,
    warnings: Vec<RowIssue>,
}

impl Summary {
    fn of(rows: Vec<Mapped>) -> Summary {
        let mut s = Summary::default();
        for r in rows {
            match r {
                Ok((event, issues)) => (s.ok.push(event), s.warnings.extend(issues)).1,
                Err(issue) => s.refused.push(issue),
            }
        }
        s
    }

    /// `(row, field)` of every issue, e.g. `[(5, "ro_number")]`.
    fn at(issues: &[RowIssue]) -> Vec<(usize, &str)> {
        issues.iter().map(|i| (i.row, i.field.as_str())).collect()
    }

    /// Each line `external_id aspect expected`, where aspect is one of [`view`]'s.
    fn expect(&self, table: &str) {
        for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (id, rest) = line.split_once(' ').unwrap();
            let (aspect, want) = rest.trim_start().split_once(' ').unwrap();
            let event = self
                .ok
                .iter()
                .find(|e| e.external_id == id)
                .unwrap_or_else(|| panic!("{id} not imported"));
            assert_eq!(view(event, aspect), want.trim(), "{id} {aspect}");
        }
    }
}

fn o<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or("-".into(), T::to_string)
}

fn services(lines: &[ServiceLine]) -> String {
    let one = |l: &ServiceLine| {
        let desc = l.description.as_ref().map_or(String::new(), |d| format!(" ({d})"));
        let status = if l.status == "performed" {
            String::new()
        } else {
            format!(" [{}]", l.status)
        };
        assert_eq!(l.amount_cents, None);
        format!("{}{desc}{status}", l.op_code)
    };
    lines.iter().map(one).collect::<Vec<_>>().join("; ")
}

/// One aspect of an event as a line of text; times in UTC.
fn view(e: &EventRow, aspect: &str) -> String {
    let t = |d: &Option<DateTime<Utc>>| d.map_or("-".into(), |d| d.format("%Y-%m-%d %H:%M").to_string());
    let mobile = if e.phone_is_mobile { "mobile" } else { "other" };
    match aspect {
        "who" => format!(
            "{} {} | {} {mobile} | {}",
            o(&e.first_name),
            o(&e.last_name),
            o(&e.phone_e164),
            o(&e.email)
        ),
        "where" => format!("{} | {} {} {}", o(&e.address), o(&e.city), o(&e.state), o(&e.zip)),
        "car" => format!(
            "{} | {} {} {} | {} mi",
            o(&e.vin),
            o(&e.year),
            o(&e.make),
            o(&e.model),
            o(&e.mileage)
        ),
        "when" => format!(
            "{} | {} | {} | {}",
            e.kind,
            t(&e.scheduled_at),
            t(&e.opened_at),
            t(&e.closed_at)
        ),
        "visit" => format!(
            "{} | {} / {} / {}",
            o(&e.advisor),
            o(&e.labor_cents),
            o(&e.parts_cents),
            o(&e.total_cents)
        ),
        "services" => services(&e.services),
        _ => panic!("no aspect {aspect}"),
    }
}

/// Each line `input => expected  # comment`; `f` renders what a parser made of the input.
fn table(lines: &str, f: impl Fn(&str) -> String) {
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (input, want) = line
            .split_once(" => ")
            .unwrap_or_else(|| panic!("not a table line: {line}"));
        let want = want.split("  #").next().unwrap().trim();
        assert_eq!(f(input.trim()), want, "{input}");
    }
}

fn shown<T: ToString>(r: Result<T, String>) -> String {
    r.map_or("error".into(), |v| v.to_string())
}

fn shown_opt<T: ToString>(r: Result<Option<T>, String>) -> String {
    r.map_or("error".into(), |v| o(&v))
}

#[test]
fn cdk_ro_export_end_to_end() {
    let (map, rows) = import(fixture!("cdk_ro_export.csv")).unwrap();
    assert_eq!((map.fields.len(), map.ignored.len()), (22, 0), "every CDK column maps");
    let s = Summary::of(rows);
    assert_eq!(s.ok.len(), 10);
    assert_eq!(Summary::at(&s.refused), [(5, "ro_number"), (7, "open_date")]);
    assert_eq!(
        Summary::at(&s.warnings),
        [(4, "cell_phone"), (6, "vin"), (8, "email"), (10, "total_amount")]
    );
    let messages: Vec<&str> = s
        .refused
        .iter()
        .chain(&s.warnings)
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "no RO number: the visit cannot be matched on a later import",
            "`00/00/00` is not a date, and the row has no other usable date",
            "`555-0199` is not a valid phone number; dropped",
            "`5NMJ3CAE3PH012345` is not a valid VIN: check digit is `3` but the other characters give `2`",
            "`noemail@example.com` is a stand-in, not a customer's address",
            "`#VALUE!` is not an amount of money",
        ]
    );
    s.expect(
        "
        604512 who      Ana Lopez | +15125550143 mobile | ana.lopez@example.com
        604512 where    1804 W 35TH ST | Austin TX 78703
        604512 car      1HGCV1F39KA012345 | 2019 Honda Accord | 45210 mi
        604512 when     repair_order | - | 2026-11-02 06:00 | 2026-11-02 06:00
        604512 visit    John Smith | 8995 / 4210 / 13205
        604512 services 01OILZ (LOF SYNTHETIC 0W-20); 04ROT (ROTATE TIRES)
        604513 who      Minh Nguyen | +15125550187 mobile | minh.nguyen@example.com
        604513 where    2210 SAM BASS RD, APT 1204 | Round Rock TX 78681
        604513 car      4T1G11AK1MU512345 | 2021 Toyota Camry | 31877 mi
        604513 when     repair_order | - | 2026-11-02 06:00 | 2026-11-03 06:00
        604513 visit    John Smith | 41200 / 82256 / 123456
        604513 services 22BRKF (FRONT BRAKE PADS, CERAMIC); 22ROTR (RESURFACE FRONT ROTORS)
        604514 who      Kevin O'Brien | +17375550121 mobile | kobrien@example.com
        604514 visit    Maria Reyes | -4500 / 0 / -4500
        604514 services WTY14A (WARRANTY - REPLACE CAM PHASER); 99GW (GOODWILL ADJUSTMENT)
        604515 who      Shannon McDonald | +17375550110 other | shannon.mcdonald@example.com
        604515 car      7FARW2H56NE012345 | 2022 Honda CR-V | 18330 mi
        604517 car      - | 2023 Hyundai Tucson | 12004 mi
        604519 who      Luis Hernandez | +12545550104 mobile | -
        604520 where    1450 GRUENE RD | New Braunfels TX 78130
        604520 car      1C4RJFAG1LC123456 | 2020 Jeep Grand Cherokee | 56780 mi
        604521 visit    Maria Reyes | 0 / 0 / -
        604522 who      - Hill Country Plumbing LLC | +15125550170 mobile | fleet@example.com
        604522 car      1C6SRFFT9KN123456 | 2019 Ram 1500 | 121877 mi
        604522 services 01OILD (LOF DIESEL); 04ROT (ROTATE TIRES); 21DIFF (REAR DIFF FLUID, 75W-85)
        604523 who      Roberto Garcia Jr | +15125550124 mobile | roberto.garcia@example.com
        604523 when     repair_order | - | 2026-11-12 06:00 | -
        604523 services 01OILZ (LOF, SYNTHETIC); 05TRANS (TRANSMISSION FLUID SERVICE); 30WIPER (WIPER BLADES)
        ",
    );
}

#[test]
fn reynolds_ro_end_to_end() {
    let (map, rows) = import(fixture!("reynolds_ro.csv")).unwrap();
    assert_eq!((map.fields.len(), map.ignored.len()), (21, 0));
    let s = Summary::of(rows);
    assert_eq!(s.ok.len(), 8);
    assert_eq!(Summary::at(&s.refused), [(5, "open_date")]);
    assert_eq!(s.refused[0].message, "no date: the visit cannot be placed in time");
    assert_eq!(Summary::at(&s.warnings), [(4, "open_date"), (7, "email")]);
    s.expect(
        "
        7714021 who      Marcus Williams | +15125550114 mobile | marcus.williams@example.com
        7714021 when     repair_order | - | 2026-11-02 13:42 | 2026-11-02 22:05
        7714021 car      1HGCV2F35LA004511 | 2020 Honda Accord | 38112 mi
        7714021 services 01OIL; 04ROT; 04BRK (FRONT BRAKE PADS) [declined]; 15WIPER (WIPER BLADES) [declined]
        7714022 when     repair_order | - | 2026-11-02 14:05 | 2026-11-03 17:20
        7714022 services 01OIL; 12AIRF; 12CABF [declined]
        7714023 who      David Cohen | +15125550162 other | david.cohen@example.com
        7714023 where    4200 Bull Creek Rd | Austin TX 78731
        7714023 car      19XFC2F55GE201877 | 2016 Honda Civic | 61402 mi
        7714023 when     repair_order | - | 2026-11-03 15:15 | -
        7714024 when     repair_order | - | - | 2026-11-04 23:45
        7714026 who      Jose De La Cruz | +17375550168 mobile | jose.delacruz@example.com
        7714026 car      - | 2020 Jeep Grand Cherokee | 47903 mi
        7714026 when     repair_order | - | 2026-11-05 16:30 | 2026-11-05 21:10
        7714027 services 01OIL; 30WIPER; 22BRKR (REAR BRAKES) [declined]
        7714028 who      Sean O'Neil | +15125550199 mobile | sean.oneil@example.com
        7714028 car      2GNALCEK9G6123456 | 2016 Chevrolet Equinox | 131090 mi
        7714028 visit    Ray Okafor | 104500 / - / 104500
        7714029 visit    Tina Alvarez | -2500 / 3620 / 1120
        ",
    );
}

#[test]
fn xtime_appointments_end_to_end() {
    let (_, rows) = import(fixture!("xtime_appointments.csv")).unwrap();
    let s = Summary::of(rows);
    assert_eq!(s.ok.len(), 7);
    assert_eq!(Summary::at(&s.refused), [(5, "appointment_id")]);
    assert_eq!(Summary::at(&s.warnings), [(4, "appointment_time"), (6, "phone")]);
    assert_eq!(s.warnings[0].message, "`TBD` is not a time of day; kept the date only");
    s.expect(
        "
        A1029384 who      Ana Lopez | +15125550143 mobile | ana.lopez@example.com
        A1029384 when     appointment | 2026-11-30 13:30 | - | -
        A1029384 services Oil Change (Oil Change); Tire Rotation (Tire Rotation); Multi-Point Inspection (Multi-Point Inspection)
        A1029385 who      Mary Smith | +15125550175 mobile | maryann.smith@example.com
        A1029385 car      2T3P1RFV8PW123456 | 2023 Toyota RAV4 | 14980 mi
        A1029386 who      Juan De La Cruz | +17375550116 mobile | -
        A1029386 when     appointment | 2026-11-30 20:30 | - | -
        A1029387 who      Beth O'Connor | +15125550139 mobile | beth.oconnor@example.com
        A1029387 when     appointment | 2026-12-01 06:00 | - | -
        A1029389 who      Grace Oyelaran | - other | grace.o@example.com
        A1029390 who      Kevin Tran | +15125550191 mobile | kevin.tran@example.com
        A1029390 car      5XYP5DGC6RG012345 | 2024 Kia - | 8455 mi
        A1029391 when     appointment | 2026-12-02 17:45 | - | -
        A1029391 services Recall 22S09 (Recall 22S09); Oil Change (Oil Change)
        ",
    );
}

#[test]
fn tekion_appointments_end_to_end() {
    let (_, rows) = import(fixture!("tekion_appointments.csv")).unwrap();
    let s = Summary::of(rows);
    assert_eq!(s.ok.len(), 6);
    assert_eq!(Summary::at(&s.refused), [(4, "appointment_date_time")]);
    assert_eq!(Summary::at(&s.warnings), [(5, "op_descriptions"), (7, "state")]);
    s.expect(
        "
        TK-55012 when     appointment | 2026-12-01 15:30 | - | -
        TK-55013 when     appointment | 2026-12-01 19:00 | - | -
        TK-55013 who      Omar Haddad | +15125550109 other | omar.haddad@example.com
        TK-55013 car      2T2HZMDA6MC123456 | 2021 Lexus RX 350 | 27640 mi
        TK-55014 when     appointment | 2026-12-02 20:30 | - | -
        TK-55016 when     appointment | 2026-12-02 16:00 | - | -
        TK-55016 where    4301 W William Cannon Dr | Austin TX 78749
        TK-55016 services OIL01 (Cabin filter); ROT02 (Tire rotation); BRK10
        TK-55017 car      7FARW2H56NE012345 | 2022 Honda CR-V | 19884 mi
        TK-55017 when     appointment | 2026-12-03 14:15 | - | -
        TK-55018 when     appointment | 2026-12-03 16:45 | - | -
        TK-55018 where    801 S Main St | Georgetown - 78626
        ",
    );
}

#[test]
fn a_file_with_no_known_headers_is_refused_whole() {
    let err = import(fixture!("no_known_headers.csv")).unwrap_err();
    assert!(err.contains("`Stock #`") && err.contains("`Exterior Color`"), "{err}");
    assert!(map_columns(&[], &HashMap::new()).is_err());
}

#[test]
fn headers_match_by_alias_without_case_or_punctuation() {
    let aliases = "
        ro_number => RO Number | RO# | RONumber | Repair Order | RO No | RO # | ro_number | R.O. Number
        appointment_id => Appointment ID | Appt Number | Appt ID | Appointment Number
        open_date => Open Date | RO Open Date | Date Opened | Opened
        close_date => Close Date | Closed | CashierDate | Date Closed | Closed Date
        appointment_date => Appointment Date | Appt Date
        appointment_time => Appointment Time | Appt Time
        appointment_date_time => Appt Date/Time | Appointment Date Time | Scheduled
        customer_name => Customer Name | Customer | Name | Customer Name (LAST, FIRST)
        first_name => First Name | FirstName | Customer First Name
        last_name => Last Name | LastName
        cell_phone => Cell | Cell Phone | Mobile | Mobile Phone
        home_phone => Home Phone
        work_phone => Work Phone | Business Phone
        phone => Phone | Phone Number
        email => Email | E-mail | Email Address
        address => Address | Address 1 | Street
        city => City
        state => State | ST
        zip => Zip | Zip Code | Postal Code
        vin => VIN
        year => Year | Model Year
        make => Make
        model => Model
        vehicle => Vehicle | Year Make Model
        mileage => Mileage In | Mileage | Odometer | Miles | Odometer In
        advisor => Service Advisor | Advisor | Writer | Service Writer
        op_codes => Op Codes | Opcodes | Operation Codes | Labor Ops | Services
        op_descriptions => Op Descriptions | Descriptions | Operation Description
        declined_op_codes => Declined Ops | Declined Op Codes | Declined
        labor_amount => Labor | Labor Sale | Labor Amount
        parts_amount => Parts | Parts Sale | Parts Amount
        total_amount => Total | Total Sale | RO Total | Total Amount
    ";
    let mut fields = std::collections::HashSet::new();
    for line in aliases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, headers) = line.split_once(" => ").unwrap();
        let field: Field = serde_json::from_str(&format!("\"{name}\"")).unwrap();
        assert_eq!(field.as_str(), name, "as_str matches serde");
        fields.insert(field);
        for header in headers.split(" | ") {
            let map = map_columns(&[header.to_string()], &HashMap::new()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(map.fields, [(0, field)], "{header}");
        }
    }
    assert_eq!(fields.len(), 32, "every field has aliases");
    assert_eq!(normalize_header(" R.O. #\u{feff}"), "ro");
}

#[test]
fn saved_mappings_win_and_duplicates_are_ignored() {
    let headers: Vec<String> = ["Cell", "Cust Txt #", "Phone", "Phone Number", "Notes"]
        .map(String::from)
        .to_vec();
    let custom = HashMap::from([
        ("custtxt".into(), Field::CellPhone),
        ("Notes".into(), Field::OpDescriptions),
    ]);
    let map = map_columns(&headers, &custom).unwrap();
    assert_eq!(
        map.fields,
        [(1, Field::CellPhone), (2, Field::Phone), (4, Field::OpDescriptions)]
    );
    assert_eq!(map.ignored, ["Cell", "Phone Number"]);
    assert_eq!(map.headers, headers);
}

#[test]
fn rows_are_refused_only_without_id_or_date() {
    let map = map_columns(
        &["RO".into(), "Open Date".into(), "VIN".into(), "Phone".into()],
        &HashMap::new(),
    )
    .unwrap();
    let run = |cells: &[&str]| map_row(&map, 3, cells, TZ, LATEST);
    assert_eq!(run(&["", "11/2/2026"]).unwrap_err().field, "ro_number");
    assert_eq!(
        run(&["R1", "N/A"]).unwrap_err(),
        RowIssue {
            row: 3,
            field: "open_date".into(),
            message: "no date: the visit cannot be placed in time".into()
        }
    );
    let placeholder = run(&["R1", "1/1/1900"]).unwrap_err().message;
    assert_eq!(
        placeholder,
        "`1/1/1900` is not a usable date (year 1900), and the row has no other usable date"
    );
    let (event, warnings) = run(&["R1", "11/2/2026", "1HGCM82643A004352", "call me", "extra"]).unwrap();
    assert_eq!((event.vin, event.phone_e164, event.kind), (None, None, "repair_order"));
    assert_eq!(
        Summary::at(&warnings),
        [(3, "row"), (3, "vin"), (3, "phone")],
        "in column order"
    );
    assert_eq!(
        warnings[0].message,
        "5 values but 4 headers: an unquoted comma may have shifted the values"
    );
    assert!(
        run(&["R2", "2026-11-02"]).unwrap().1.is_empty(),
        "missing trailing cells are blanks"
    );
    let appt = map_columns(&["Appt ID".into(), "Appt Date".into(), "Name".into()], &HashMap::new()).unwrap();
    let (event, _) = map_row(&appt, 1, &[" A-7 ", "12/1/2026", "NONE"], TZ, LATEST).unwrap();
    assert_eq!(
        (event.external_id.as_str(), event.kind, event.first_name),
        ("A-7", "appointment", None)
    );
}

#[test]
fn dates_in_every_export_style() {
    let show = |raw: &str| match parse_when(raw, LATEST) {
        Ok(When::Date(d)) => d.to_string(),
        Ok(When::Local(t)) => format!("{t} local"),
        Ok(When::Exact(t)) => format!("{} UTC", t.naive_utc()),
        Err(_) => "error".into(),
    };
    table(
        "
        11/20/2026                => 2026-11-20
        3/2/26                    => 2026-03-02
        3/2/27                    => 2027-03-02  # 2027 is the latest year
        3/2/28                    => error       # 1928: a placeholder, not a visit
        12/31/85                  => 1985-12-31
        2026-11-20                => 2026-11-20
        2026/11/20                => 2026-11-20
        20261120                  => 2026-11-20
        11-20-2026                => 2026-11-20
        2026-11-20T14:30:00       => 2026-11-20 14:30:00 local
        2026-11-20 14:30          => 2026-11-20 14:30:00 local
        2026-11-20T14:30:00.250   => 2026-11-20 14:30:00 local
        11/20/2026 2:30 PM        => 2026-11-20 14:30:00 local
        11/20/2026 14:30          => 2026-11-20 14:30:00 local
        2026-11-20T14:30:00Z      => 2026-11-20 14:30:00 UTC
        2026-11-20T14:30Z         => 2026-11-20 14:30:00 UTC
        2026-11-20 14:30 UTC      => 2026-11-20 14:30:00 UTC
        2026-11-20T14:30:00-06:00 => 2026-11-20 20:30:00 UTC
        2026-11-20 14:30:00+0530  => 2026-11-20 09:00:00 UTC
        00/00/00                  => error
        13/45/2025                => error
        2026-02-30                => error
        11/20/2026 25:00          => error
        2026-11-20T14:30+25       => error
        12/31/9999                => error
        1/1/1900                  => error
        11-20                     => error
        TBD                       => error
        ",
        show,
    );
    assert_eq!(
        parse_when("1/5/99", 2100).unwrap().date().to_string(),
        "2099-01-05",
        "the pivot follows latest"
    );
}

#[test]
fn local_times_become_utc_in_the_accounts_zone() {
    table(
        "
        7/1/2026 9:00 AM     => 2026-07-01 14:00  # CDT
        12/1/2026 9:00 AM    => 2026-12-01 15:00  # CST
        12/1/2026            => 2026-12-01 06:00  # a bare date is local midnight
        3/8/2026 2:30 AM     => 2026-03-08 08:00  # skipped hour: the first instant after it
        11/1/2026 1:30 AM    => 2026-11-01 06:30  # repeated hour: the earlier one
        2026-11-20T14:30:00Z => 2026-11-20 14:30  # an offset ignores the zone
        ",
        |raw| {
            parse_when(raw, LATEST)
                .unwrap()
                .to_utc(TZ)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        },
    );
}

#[test]
fn times_of_day() {
    table(
        "
        9:00 AM    => 09:00:00
        9:00AM     => 09:00:00
        9am        => 09:00:00
        12:15 PM   => 12:15:00
        12:15 a.m. => 00:15:00
        2:30 p     => 14:30:00
        14:30      => 14:30:00
        14:30:45   => 14:30:45
        0900       => 09:00:00
        930        => 09:30:00
        TBD        => error
        13:00 PM   => error
        0:30 AM    => error
        24:00      => error
        9          => error
        9:60       => error
        12345      => error
        ",
        |raw| shown(parse_time(raw)),
    );
}

#[test]
fn mileage_and_money() {
    table(
        "
        45,210       => 45210
        45210 mi     => 45210
        45210.0      => 45210
        45,210 Miles => 45210
        12.6         => 13
        0            => -      # not recorded
        -5           => error
        lots         => error
        45210 km     => error
        99999999     => error
        ",
        |raw| shown_opt(parse_mileage(raw)),
    );
    table(
        "
        $1,234.56 => 123456
        1234.56   => 123456
        1234      => 123400
        (12.50)   => -1250
        -12.50    => -1250
        $-12.50   => -1250
        -$12.50   => -1250
        12.50-    => -1250
        $0.00     => 0
        .5        => 50
        10.005    => 1001
        (10.005)  => -1001
        #VALUE!   => error
        $         => error
        1.2.3     => error
        N/C       => error
        12 bucks  => error
        ",
        |raw| shown_opt(parse_cents(raw)),
    );
    assert_eq!((parse_cents("  "), parse_mileage("")), (Ok(None), Ok(None)));
}

#[test]
fn names_read_as_people_write_them() {
    table(
        "
        LOPEZ, ANA           => Ana | Lopez
        LOPEZ, ANA M.        => Ana | Lopez
        Ana Lopez            => Ana | Lopez
        ana maria lopez      => Ana | Lopez
        O'BRIEN, KEVIN       => Kevin | O'Brien
        D'ANGELO, MARCO      => Marco | D'Angelo
        MCDONALD, SHANNON    => Shannon | McDonald
        Shannon McDonald     => Shannon | McDonald
        DeShawn MacArthur    => DeShawn | MacArthur
        SMITH-JONES, KIM     => Kim | Smith-Jones
        Juan De La Cruz      => Juan | De La Cruz
        JOHN SMITH JR.       => John | Smith Jr
        SMITH III, JOHN      => John | Smith III
        Cher                 => Cher | -
        CITY OF AUSTIN FLEET => - | City Of Austin Fleet
        ",
        |raw| {
            let (first, last) = split_name(raw);
            format!("{} | {}", o(&first), o(&last))
        },
    );
    table(
        "ALVAREZ, TINA => Tina Alvarez \n 4512 - MIKE => 4512 - Mike",
        display_person,
    );
}

#[test]
fn emails_zips_and_years() {
    table(
        "
        Ana.Lopez@Example.COM                => ana.lopez@example.com
        mailto:a@example.com; b@example.com  => a@example.com
        ana.lopez                            => error
        ana@example                          => error
        @example.com                         => error
        ana@@example.com                     => error
        ana@example..com                     => error
        none@none.com                        => error  # a stand-in
        ",
        |raw| shown(parse_email(raw)),
    );
    table(
        "78701 => 78701 \n 78701-1234 => 78701 \n 787011234 => 78701 \n 7030 => 07030 \n 787 => error \n 78701-12 => error \n TX 78701 => error",
        |raw| shown(parse_zip(raw)),
    );
    table(
        "2019 => 2019 \n 19 => 2019 \n 99 => 1999 \n 2028 => error \n 1899 => error \n MY19 => error",
        |raw| shown(parse_year(raw, LATEST)),
    );
}

#[test]
fn vehicles_and_makes() {
    table(
        "
        2019 Honda Accord            => 2019 | Honda | Accord
        2016 HONDA CIVIC EX-L        => 2016 | Honda | Civic EX-L
        2021 LAND ROVER DEFENDER 110 => 2021 | Land Rover | Defender 110
        18 CHEVY SILVERADO 1500      => 2018 | Chevrolet | Silverado 1500
        Mercedes-Benz GLE 350        => - | Mercedes-Benz | GLE 350
        2020                         => 2020 | - | -
        ",
        |raw| {
            let (year, make, model) = split_vehicle(raw, LATEST);
            format!("{} | {} | {}", o(&year), o(&make), o(&model))
        },
    );
    table(
        "VW => Volkswagen \n bmw => BMW \n KIA => Kia \n ford => Ford",
        canonical_make,
    );
    table(
        "CR-V => CR-V \n RAV4 => RAV4 \n grand caravan => Grand Caravan \n ACCORD => Accord",
        tidy_model,
    );
}

#[test]
fn op_code_lists_pair_with_descriptions() {
    assert_eq!(split_list("01OIL; 04ROT;;"), ["01OIL", "04ROT"]);
    assert_eq!(split_list("01OIL|04ROT"), ["01OIL", "04ROT"]);
    assert_eq!(split_list("01OIL, 04ROT"), ["01OIL", "04ROT"]);
    let show = |codes, descs, declined| {
        let (lines, warning) = service_lines(codes, descs, declined);
        format!("{} / {}", services(&lines), o(&warning))
    };
    assert_eq!(
        show(
            Some("01OIL,04ROT"),
            Some("Oil change,Rotate tires"),
            Some("04ROT;22BRK - Brakes")
        ),
        "01OIL (Oil change); 04ROT (Rotate tires) [declined]; 22BRK (Brakes) [declined] / -"
    );
    assert_eq!(
        show(Some("01OIL"), Some("LOF, synthetic"), None),
        "01OIL (LOF, synthetic) / -"
    );
    assert_eq!(
        show(Some("A|B|C"), Some("one|two"), None),
        "A (one); B (two); C / 3 op codes, 2 descriptions: paired by position"
    );
    assert_eq!(
        show(None, None, Some("Brake Flush")),
        "Brake Flush (Brake Flush) [declined] / -"
    );
    assert_eq!(show(None, None, None), " / -");
}
