use super::values::*;
use super::*;
use std::collections::HashMap;

const TZ: Tz = chrono_tz::America::Chicago;
const LATEST: i32 = 2027;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../fixtures/dms/", $name)).as_slice()
    };
}

/// What an import made of a file: the events, refused rows and warnings.
#[derive(Default)]
struct Summary {
    ok: Vec<EventRow>,
    refused: Vec<RowIssue>,
    warnings: Vec<RowIssue>,
}

/// Reads a fixture the way an import does: csv crate, flexible rows, BOM stripped from the first header.
fn import(bytes: &[u8]) -> Result<Summary, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    headers[0] = headers[0].trim_start_matches('\u{feff}').to_string();
    let map = map_columns(&headers, &HashMap::new())?;
    assert!(map.ignored.is_empty(), "unmapped: {:?}", map.ignored);
    let mut s = Summary::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells: Vec<&str> = record.iter().collect();
        match map_row(&map, i + 1, &cells, TZ, LATEST) {
            Ok((event, issues)) => (s.ok.push(event), s.warnings.extend(issues)).1,
            Err(issue) => s.refused.push(issue),
        }
    }
    Ok(s)
}

impl Summary {
    /// `10 ok | refused 5 ro_number, 7 open_date | warned 4 cell_phone`
    fn counts(&self) -> String {
        let at = |v: &[RowIssue]| v.iter().map(|i| format!("{} {}", i.row, i.field)).collect::<Vec<_>>();
        let (refused, warned) = (at(&self.refused).join(", "), at(&self.warnings).join(", "));
        format!("{} ok | refused {refused} | warned {warned}", self.ok.len())
    }

    /// Each line `counts <counts>`, `issue <row> <field>: <message>` (one of the issues), or `<external_id> <aspect>
    /// <expected>` with an aspect of [`view`].
    fn expect(&self, table: &str) {
        let all = self.refused.iter().chain(&self.warnings);
        let issues: Vec<String> = all.map(|i| format!("{} {}: {}", i.row, i.field, i.message)).collect();
        for line in lines(table) {
            let (id, rest) = line.split_once(' ').unwrap();
            let (aspect, want) = rest.trim_start().split_once(' ').unwrap_or((rest, ""));
            match id {
                "counts" => assert_eq!(self.counts(), rest.trim()),
                "issue" => assert!(issues.iter().any(|i| i == rest.trim()), "{rest} not in {issues:#?}"),
                _ => {
                    let event = self.ok.iter().find(|e| e.external_id == id);
                    assert_eq!(view(event.expect(id), aspect), want.trim(), "{id} {aspect}");
                }
            }
        }
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

fn o<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or("-".into(), T::to_string)
}

/// `01OIL (Oil change); 04BRK (Brakes) [declined]`
fn services(lines: &[ServiceLine]) -> String {
    let one = |l: &ServiceLine| {
        assert_eq!(l.amount_cents, None);
        let desc = l.description.as_ref().map_or(String::new(), |d| format!(" ({d})"));
        let status = (l.status != LineStatus::Performed).then(|| format!(" [{}]", l.status));
        format!("{}{desc}{}", l.op_code, status.unwrap_or_default())
    };
    if lines.is_empty() {
        return "none".into();
    }
    lines.iter().map(one).collect::<Vec<_>>().join("; ")
}

/// One aspect of an event as a line of text; times in UTC.
fn view(e: &EventRow, aspect: &str) -> String {
    let t = |d: &Option<DateTime<Utc>>| d.map_or("-".into(), |d| d.format("%Y-%m-%d %H:%M").to_string());
    let (first, last, phone, email) = (o(&e.first_name), o(&e.last_name), o(&e.phone_e164), o(&e.email));
    let mobile = if e.phone_is_mobile { "mobile" } else { "other" };
    let (address, city, state, zip) = (o(&e.address), o(&e.city), o(&e.state), o(&e.zip));
    let (vin, year, make, model, miles) = (o(&e.vin), o(&e.year), o(&e.make), o(&e.model), o(&e.mileage));
    let (scheduled, opened, closed) = (t(&e.scheduled_at), t(&e.opened_at), t(&e.closed_at));
    let cents = |c: Option<Cents>| o(&c.map(Cents::get));
    let (advisor, labor, parts, total) = (
        o(&e.advisor),
        cents(e.labor_cents),
        cents(e.parts_cents),
        cents(e.total_cents),
    );
    match aspect {
        "who" => format!("{first} {last} | {phone} {mobile} | {email}"),
        "where" => format!("{address} | {city} {state} {zip}"),
        "car" => format!("{vin} | {year} {make} {model} | {miles} mi"),
        "when" => format!("{} | {scheduled} | {opened} | {closed}", e.kind),
        "visit" => format!("{advisor} | {labor} / {parts} / {total}"),
        "services" => services(&e.services),
        _ => panic!("no aspect {aspect}"),
    }
}

/// Each line `input | another input => expected  # comment`; `f` renders what a parser made of each input.
fn table(text: &str, mut f: impl FnMut(&str) -> String) {
    for line in lines(text) {
        let (inputs, want) = line.split_once(" => ").expect(line);
        let want = want.split("  #").next().unwrap().trim();
        for input in inputs.split(" | ") {
            assert_eq!(f(input.trim()), want, "{input}");
        }
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
    import(fixture!("cdk_ro_export.csv")).unwrap().expect(
        "
        counts 10 ok | refused 5 ro_number, 7 open_date | warned 3 labor_amount, 3 total_amount, 4 cell_phone, 6 vin, 8 email, 10 total_amount
        issue  3 total_amount: `(45.00)`: a negative amount: amounts from $0.00 to $10,000,000.00 are kept; dropped
        issue  5 ro_number: no RO number: the visit cannot be matched on a later import
        issue  7 open_date: `00/00/00` is not a date, and the row has no other usable date
        issue  4 cell_phone: `555-0199` is not a valid phone number; dropped
        issue  6 vin: `5NMJ3CAE3PH012345` is not a valid VIN: check digit is `3` but the other characters give `2`
        issue  8 email: `noemail@example.com` is a stand-in, not a customer's address
        issue  10 total_amount: `#VALUE!` is not an amount of money
        604512 who      Ana Lopez | +15125550143 mobile | ana.lopez@example.com
        604512 where    1804 W 35TH ST | Austin TX 78703
        604512 car      1HGCV1F39KA012345 | 2019 Honda Accord | 45210 mi
        604512 when     repair_order | - | 2026-11-02 06:00 | 2026-11-02 06:00
        604512 visit    John Smith | 8995 / 4210 / 13205
        604512 services 01OILZ (LOF SYNTHETIC 0W-20); 04ROT (ROTATE TIRES)
        604513 who      Minh Nguyen | +15125550187 mobile | minh.nguyen@example.com
        604513 where    2210 SAM BASS RD, APT 1204 | Round Rock TX 78681
        604513 car      4T1G11AK1MU512345 | 2021 Toyota Camry | 31877 mi
        604513 visit    John Smith | 41200 / 82256 / 123456
        604513 services 22BRKF (FRONT BRAKE PADS, CERAMIC); 22ROTR (RESURFACE FRONT ROTORS)
        604514 who      Kevin O'Brien | +17375550121 mobile | kobrien@example.com
        604514 visit    Maria Reyes | - / 0 / -
        604514 services WTY14A (WARRANTY - REPLACE CAM PHASER); 99GW (GOODWILL ADJUSTMENT)
        604515 who      Shannon McDonald | +17375550110 other | shannon.mcdonald@example.com
        604515 car      7FARW2H56NE012345 | 2022 Honda CR-V | 18330 mi
        604517 car      - | 2023 Hyundai Tucson | 12004 mi
        604519 who      Luis Hernandez | +12545550104 mobile | -
        604520 where    1450 GRUENE RD | New Braunfels TX 78130
        604520 car      1C4RJFAG1LC123456 | 2020 Jeep Grand Cherokee | 56780 mi
        604521 visit    Maria Reyes | 0 / 0 / -
        604522 who      - Hill Country Plumbing LLC | +15125550170 mobile | fleet@example.com
        604523 who      Roberto Garcia Jr | +15125550124 mobile | roberto.garcia@example.com
        604523 when     repair_order | - | 2026-11-12 06:00 | -
        ",
    );
}

#[test]
fn reynolds_ro_end_to_end() {
    import(fixture!("reynolds_ro.csv")).unwrap().expect(
        "
        counts 8 ok | refused 5 open_date | warned 4 open_date, 7 email, 9 labor_amount
        issue  5 open_date: no date: the visit cannot be placed in time
        issue  9 labor_amount: `-25.00`: a negative amount: amounts from $0.00 to $10,000,000.00 are kept; dropped
        issue  4 open_date: `2026-11-31 08:00:00` is not a date
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
        7714028 who      Sean O'Neil | +15125550199 mobile | sean.oneil@example.com
        7714028 car      2GNALCEK9G6123456 | 2016 Chevrolet Equinox | 131090 mi
        7714028 visit    Ray Okafor | 104500 / - / 104500
        7714029 visit    Tina Alvarez | - / 3620 / 1120
        ",
    );
}

#[test]
fn xtime_appointments_end_to_end() {
    import(fixture!("xtime_appointments.csv")).unwrap().expect(
        "
        counts 7 ok | refused 5 appointment_id | warned 4 appointment_time, 6 phone
        issue  4 appointment_time: `TBD` is not a time of day; kept the date only
        A1029384 who      Ana Lopez | +15125550143 mobile | ana.lopez@example.com
        A1029384 when     appointment | 2026-11-30 13:30 | - | -
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
    import(fixture!("tekion_appointments.csv")).unwrap().expect(
        "
        counts 6 ok | refused 4 appointment_date_time | warned 5 op_descriptions, 7 state
        issue  4 appointment_date_time: `ASAP` is not a date, and the row has no other usable date
        issue  5 op_descriptions: 3 op codes, 2 descriptions: paired by position
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
    let err = import(fixture!("no_known_headers.csv"))
        .err()
        .expect("the file is refused");
    let seen = "saw `Stock #`, `Invoice Amount`, `Salesperson`, `Lot`, `Days In Stock`, `Exterior Color`";
    assert!(err.ends_with(seen), "{err}");
    assert!(map_columns(&[], &HashMap::new()).is_err());
}

#[test]
fn headers_match_by_alias_without_case_or_punctuation() {
    let mut fields = std::collections::HashSet::new();
    let aliases = "
        RO Number | RO# | RONumber | Repair Order | RO No | RO # | ro_number | R.O. Number => ro_number
        Appointment ID | Appt Number | Appt ID | Appointment Number => appointment_id
        Open Date | RO Open Date | Date Opened | Opened => open_date
        Close Date | Closed | CashierDate | Date Closed | Closed Date => close_date
        Appointment Date | Appt Date => appointment_date
        Appointment Time | Appt Time => appointment_time
        Appt Date/Time | Appointment Date Time | Scheduled => appointment_date_time
        Customer Name | Customer | Name | Customer Name (LAST, FIRST) => customer_name
        First Name | FirstName | Customer First Name => first_name
        Last Name | LastName => last_name
        Cell | Cell Phone | Mobile | Mobile Phone => cell_phone
        Home Phone => home_phone
        Work Phone | Business Phone => work_phone
        Phone | Phone Number => phone
        Email | E-mail | Email Address => email
        Address | Address 1 | Street => address
        City => city
        State | ST => state
        Zip | Zip Code | Postal Code => zip
        VIN => vin
        Year | Model Year => year
        Make => make
        Model => model
        Vehicle | Year Make Model => vehicle
        Mileage In | Mileage | Odometer | Miles | Odometer In => mileage
        Service Advisor | Advisor | Writer | Service Writer => advisor
        Op Codes | Opcodes | Operation Codes | Labor Ops | Services => op_codes
        Op Descriptions | Descriptions | Operation Description => op_descriptions
        Declined Ops | Declined Op Codes | Declined => declined_op_codes
        Labor | Labor Sale | Labor Amount => labor_amount
        Parts | Parts Sale | Parts Amount => parts_amount
        Total | Total Sale | RO Total | Total Amount => total_amount
    ";
    table(aliases, |header| {
        let map = map_columns(&[header.to_string()], &HashMap::new()).unwrap();
        let [(0, field)] = map.fields[..] else {
            panic!("{header}: {:?}", map.fields)
        };
        let serde_name = serde_json::to_string(&field).unwrap();
        assert_eq!(serde_name.trim_matches('"'), field.as_str());
        fields.insert(field);
        serde_name.trim_matches('"').to_string()
    });
    assert_eq!(fields.len(), 32, "every field has aliases");
    assert_eq!(normalize_header(" R.O. #\u{feff}"), "ro");
}

#[test]
fn saved_mappings_win_and_duplicates_are_ignored() {
    let headers = ["Cell", "Cust Txt #", "Phone", "Phone Number", "Notes"].map(String::from);
    let custom = [("custtxt", Field::CellPhone), ("Notes", Field::OpDescriptions)];
    let map = map_columns(&headers, &custom.map(|(h, f)| (h.to_string(), f)).into()).unwrap();
    let want = [(1, Field::CellPhone), (2, Field::Phone), (4, Field::OpDescriptions)];
    assert_eq!((map.fields, map.headers), (want.to_vec(), headers.to_vec()));
    assert_eq!(map.ignored, ["Cell", "Phone Number"]);
}

#[test]
fn rows_are_refused_only_without_id_or_date() {
    let ro = map_columns(&["RO", "Open Date", "VIN", "Phone"].map(String::from), &HashMap::new()).unwrap();
    let appt = map_columns(&["Appt ID", "Appt Date", "Name"].map(String::from), &HashMap::new()).unwrap();
    // `~` separates cells, `appt:` picks the appointment header; refused is `field: message`, else `kind id [warnings]`
    table(
        "
        ~ 11/2/2026 => ro_number: no RO number: the visit cannot be matched on a later import
        R1 ~ N/A => open_date: no date: the visit cannot be placed in time
        R1 ~ 1/1/1900 => open_date: `1/1/1900` is not a usable date (year 1900), and the row has no other usable date
        R2 ~ 2026-11-02 => repair_order R2 []  # missing trailing cells are blanks
        R3 ~ 11/2/2026 ~ 1HGCM82643A004352 ~ call me ~ extra => repair_order R3 [row, vin, phone]  # in column order
        appt:A-7  ~ 12/1/2026 ~ NONE => appointment A-7 []  # NONE is a blank, not a name
        appt:~ 12/1/2026 => appointment_id: no appointment id: the visit cannot be matched on a later import
        ",
        |raw| {
            let (map, raw) = raw.strip_prefix("appt:").map_or((&ro, raw), |r| (&appt, r));
            let cells: Vec<&str> = raw.split('~').collect();
            match map_row(map, 3, &cells, TZ, LATEST) {
                Err(i) => format!("{}: {}", i.field, i.message),
                Ok((e, w)) => {
                    let name = e.first_name.map_or("", |_| " named");
                    let fields: Vec<&str> = w.iter().map(|i| i.field.as_str()).collect();
                    format!("{} {}{name} [{}]", e.kind, e.external_id, fields.join(", "))
                }
            }
        },
    );
    let cells = ["R1", "11/2/2026", "", "", "extra"];
    let message = &map_row(&ro, 1, &cells, TZ, LATEST).unwrap().1[0].message;
    assert_eq!(
        message,
        "5 values but 4 headers: an unquoted comma may have shifted the values"
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
    let dates = "
        11/20/2026 | 2026-11-20 | 2026/11/20 | 20261120 | 11-20-2026 => 2026-11-20
        3/2/26 => 2026-03-02
        3/2/27 => 2027-03-02  # 2027 is the latest model year: 20YY
        12/31/85 => 1985-12-31  # later than that: 19YY
        2026-11-20T14:30:00 | 2026-11-20 14:30 | 2026-11-20T14:30:00.250 => 2026-11-20 14:30:00 local
        11/20/2026 2:30 PM | 11/20/2026 14:30 => 2026-11-20 14:30:00 local
        2026-11-20T14:30:00Z | 2026-11-20T14:30Z | 2026-11-20 14:30 UTC => 2026-11-20 14:30:00 UTC
        2026-11-20T14:30:00-06:00 => 2026-11-20 20:30:00 UTC
        2026-11-20 14:30:00+0530 => 2026-11-20 09:00:00 UTC
        00/00/00 | 13/45/2025 | 2026-02-30 | 11/20/2026 25:00 | 2026-11-20T14:30+25 | 11-20 | TBD => error
        3/2/28 | 12/31/9999 | 1/1/1900 => error  # 1928, 9999, 1900: placeholders, not visits
    ";
    table(dates, show);
    table("1/5/99 => 2099-01-05  # the pivot follows latest", |raw| {
        parse_when(raw, 2100).unwrap().date().to_string()
    });
}

#[test]
fn local_times_become_utc_in_the_accounts_zone() {
    let times = "
        7/1/2026 9:00 AM => 2026-07-01 14:00  # CDT
        12/1/2026 9:00 AM => 2026-12-01 15:00  # CST
        12/1/2026 => 2026-12-01 06:00  # a bare date is local midnight
        3/8/2026 2:30 AM => 2026-03-08 08:00  # skipped hour: the first instant after it
        11/1/2026 1:30 AM => 2026-11-01 06:30  # repeated hour: the earlier one
        2026-11-20T14:30:00Z => 2026-11-20 14:30  # an offset ignores the zone
    ";
    table(times, |raw| {
        let utc = parse_when(raw, LATEST).unwrap().to_utc(TZ);
        utc.format("%Y-%m-%d %H:%M").to_string()
    });
}

#[test]
fn times_of_day() {
    let times = "
        9:00 AM | 9:00AM | 9am | 9 A | 0900 | 09:00 => 09:00:00
        12:15 PM => 12:15:00
        12:15 a.m. => 00:15:00
        2:30 p | 14:30 | 1430 => 14:30:00
        14:30:45 | 2:30:45 PM => 14:30:45
        930 => 09:30:00
        TBD | 13:00 PM | 0:30 AM | 24:00 | 9 | 9:60 | 12345 | 9:00:00:00 => error
    ";
    table(times, |raw| shown(parse_time(raw)));
}

#[test]
fn mileage_and_money() {
    let miles = "
        45,210 | 45210 mi | 45210.0 | 45,210 Miles | 45210 MI. => 45210
        12.6 => 13
        0 => -  # not recorded
        -5 | lots | 45210 km | 99999999 | mi => error
    ";
    table(miles, |raw| shown_opt(parse_mileage(raw)));
    let money = "
        $1,234.56 | 1234.56 | 1,234.56 => 123456
        1234 => 123400
        (12.50) | -12.50 | $-12.50 | -$12.50 | 12.50- | ($12.50) => -1250
        $0.00 | 0 => 0
        .5 => 50
        10.005 => 1001  # half away from zero
        (10.005) => -1001
        #VALUE! | $ | 1.2.3 | N/C | 12 bucks | 9999999999999 => error
    ";
    table(money, |raw| shown_opt(parse_cents(raw)));
    assert_eq!((parse_cents("  "), parse_mileage("")), (Ok(None), Ok(None)));
}

#[test]
fn names_read_as_people_write_them() {
    let names = "
        LOPEZ, ANA | LOPEZ, ANA M. | Ana Lopez | ana maria lopez | Lopez,Ana => Ana | Lopez
        O'BRIEN, KEVIN => Kevin | O'Brien
        D'ANGELO, MARCO => Marco | D'Angelo
        MCDONALD, SHANNON | Shannon McDonald => Shannon | McDonald
        DeShawn MacArthur => DeShawn | MacArthur
        SMITH-JONES, KIM => Kim | Smith-Jones
        Juan De La Cruz => Juan | De La Cruz
        JOHN SMITH JR. => John | Smith Jr
        SMITH III, JOHN => John | Smith III
        Cher => Cher | -
        CITY OF AUSTIN FLEET => - | City Of Austin Fleet
    ";
    table(names, |raw| {
        let (first, last) = split_name(raw);
        format!("{} | {}", o(&first), o(&last))
    });
    table(
        "ALVAREZ, TINA => Tina Alvarez \n Mike R. => Mike R. \n 4512 - MIKE => 4512 - Mike",
        display_person,
    );
}

#[test]
fn emails_zips_and_years() {
    let emails = "
        Ana.Lopez@Example.COM | mailto:ana.lopez@example.com; b@example.com => ana.lopez@example.com
        ana.lopez | ana@example | @example.com | ana@@example.com | ana@example..com => error
        none@none.com | noemail@example.com => error  # stand-ins
    ";
    table(emails, |raw| shown(parse_email(raw)));
    let zips = "78701 | 78701-1234 | 787011234 => 78701 \n 7030 => 07030 \n 787 | 78701-12 | TX 78701 | 7870A => error";
    table(zips, |raw| shown(parse_zip(raw)));
    let years = "2019 | 19 => 2019 \n 99 => 1999 \n 2028 | 1899 | MY19 | 201 => error";
    table(years, |raw| shown(parse_year(raw, LATEST)));
}

#[test]
fn vehicles_and_makes() {
    let vehicles = "
        2019 Honda Accord | 19 HONDA ACCORD => 2019 | Honda | Accord
        2016 HONDA CIVIC EX-L => 2016 | Honda | Civic EX-L
        2021 LAND ROVER DEFENDER 110 => 2021 | Land Rover | Defender 110
        2018 CHEVY SILVERADO 1500 => 2018 | Chevrolet | Silverado 1500
        Mercedes-Benz GLE 350 => - | Mercedes-Benz | GLE 350
        2020 => 2020 | - | -
    ";
    table(vehicles, |raw| {
        let (year, make, model) = split_vehicle(raw, LATEST);
        format!("{} | {} | {}", o(&year), o(&make), o(&model))
    });
    let makes = "VW | Volkswagen => Volkswagen \n bmw => BMW \n KIA => Kia \n ford => Ford \n chevy => Chevrolet";
    table(makes, canonical_make);
    table(
        "CR-V | cr-v => CR-V \n RAV4 => RAV4 \n grand caravan => Grand Caravan \n ACCORD => Accord",
        tidy_model,
    );
}

#[test]
fn op_code_lists_pair_with_descriptions() {
    table("01OIL; 04ROT;; | 01OIL|04ROT | 01OIL, 04ROT => 01OIL+04ROT", |raw| {
        split_list(raw).join("+")
    });
    // codes ~ descriptions ~ declined
    let lines = "
        01OIL,04ROT ~ Oil,Rotate ~ 04ROT;22BRK - Pads => 01OIL (Oil); 04ROT (Rotate) [declined]; 22BRK (Pads) [declined]
        01OIL ~ LOF, synthetic ~ => 01OIL (LOF, synthetic)
        A|B|C ~ one|two ~ => A (one); B (two); C / 3 op codes, 2 descriptions: paired by position
        ~ ~ Brake Flush => Brake Flush (Brake Flush) [declined]
        ~ ~ => none
    ";
    table(lines, |raw| {
        let cells: Vec<&str> = raw.split('~').map(str::trim).collect();
        let cell = |i: usize| Some(cells[i]).filter(|c| !c.is_empty());
        let (lines, warning) = service_lines(cell(0), cell(1), cell(2));
        let warning = warning.map_or(String::new(), |w| format!(" / {w}"));
        format!("{}{warning}", services(&lines))
    });
}
