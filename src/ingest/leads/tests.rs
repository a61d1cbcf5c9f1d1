use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../fixtures/leads/", $name)).as_slice()
    };
}

fn o<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or("-".into(), T::to_string)
}

/// One line per lead: names <email> phones | address / city / state / zip | source / provider | when | interest => preferred
fn brief(l: &ParsedLead) -> String {
    let phones: Vec<String> = l.phones.iter().map(|p| format!("{} ({})", p.raw, o(&p.kind))).collect();
    let place = [&l.address, &l.city, &l.state, &l.postal_code].map(o).join(" / ");
    let (who, source) = (
        format!("{} {} <{}>", o(&l.first_name), o(&l.last_name), o(&l.email)),
        o(&l.source),
    );
    let when = l
        .requested_at
        .map_or("-".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string());
    let want = format!("{} => {}", o(&l.vehicle_interest), o(&l.preferred_vehicle));
    format!(
        "{who} {} | {place} | {source} / {} | {when} | {want}",
        phones.join(", "),
        o(&l.provider)
    )
}

fn vehicle(v: &ParsedVehicle) -> String {
    let car = [
        o(&v.interest),
        o(&v.status),
        o(&v.year),
        o(&v.make),
        o(&v.model),
        o(&v.trim),
    ]
    .join(" ");
    format!("{car} vin {} stock {} odo {}", o(&v.vin), o(&v.stock), o(&v.odometer))
}

fn one(body: &[u8]) -> ParsedLead {
    let leads = if is_xml(None, body) {
        parse_adf(body)
    } else {
        parse_json(body)
    }
    .unwrap();
    assert_eq!(leads.len(), 1);
    leads.into_iter().next().unwrap()
}

#[test]
fn adf_fixtures() {
    let l = one(fixture!("adf_cars_com.xml"));
    assert_eq!(brief(&l), "Dana Whitfield <dana.whitfield@example.com> 512-555-0143 (cellphone), (512) 555-0142 (voice) | 4410 Bluebonnet Ln, Apt 12B / Austin / TX / 78745 | Hill Country Honda / Cars.com | 2026-11-20 13:03:11 | buy new 2025 Honda CR-V => 2025 Honda CR-V EX-L");
    assert_eq!(
        l.comments.as_deref(),
        Some("Looking for the EX-L in gray. I have a trade & want a number before I come in.")
    );
    assert_eq!(
        vehicle(&l.vehicles[0]),
        "buy new 2025 Honda CR-V EX-L vin 7FARS6H85SE012345 stock N25-1187 odo 12"
    );
    assert_eq!(
        vehicle(&l.vehicles[1]),
        "trade-in used 2017 Toyota Camry SE vin 4T1BF1FK7HU418822 stock - odo 84312"
    );

    let leads = parse_adf(fixture!("adf_multi_prospect.xml")).unwrap();
    let want = [
        "Ana Lopez <ana.lopez@example.com> 512-555-0151 (mobile), 512-555-0150 (home) | - / Round Rock / Texas / 78664 | Hill Country Honda / Honda Dealer Leads | 2026-11-20 08:03:11 | lease new 2025 Honda Accord => 2025 Honda Accord Sport Hybrid",
        "Raymond Okafor <-> 512.555.0161 (-), (512) 555-0160 (work) | - / - / - / - | Autotrader / Autotrader | 2026-11-20 08:03:00 | test-drive used 2023 Toyota Corolla => 2023 Toyota Corolla",
        "Priya Raman <priya.raman@example.com> 512-555-0170 (cellphone) | - / - / - / - | Hill Country Honda / - | 2026-11-20 00:00:00 | buy used 2023 Chevrolet Blazer => 2023 Chevrolet Blazer RS",
    ];
    assert_eq!(leads.iter().map(brief).collect::<Vec<_>>(), want);
    assert_eq!(leads[0].comments.as_deref(), Some("Best time to reach me is after 5."));
    assert_eq!(
        vehicle(&leads[1].vehicles[0]),
        "test-drive used 2023 Toyota Corolla - vin 5YFB4MDE9PP051734 stock U4471A odo 21880"
    );

    let l = one(fixture!("adf_sloppy_uppercase.xml"));
    assert_eq!(brief(&l), "Marcus T. Bell <mbell@example.com> 512 555 0181 (cell), 5125550182 (mobile phone), 512-555-0183 (home) | 88 Pecan St, Unit 4 / San Marcos / tx / 78666 | CarGurus / CarGurus | 2026-11-20 13:03:11 | buy used 2021 TOYOTA RAV4 => 2021 TOYOTA RAV4 XLE");
    assert_eq!(
        vehicle(&l.vehicles[0]),
        "buy used 2021 TOYOTA RAV4 XLE vin 2T3P1RFV3MC150271 stock P2291 odo 45210"
    );
    assert_eq!(
        l.comments.as_deref(),
        Some("Text me, don't call - I work nights at the AT&T store & can't pick up.")
    );

    let l = one(fixture!("adf_no_phone_email_only.xml"));
    assert_eq!(brief(&l), "Grace Kim <grace.kim@example.com>  | - / - / - / - | Hill Country Honda / TrueCar | 2026-11-21 14:30:00 | buy new 2025 Honda HR-V => 2025 Honda HR-V");
    let l = one(fixture!("adf_no_contact.xml"));
    assert_eq!(brief(&l), "Walter Nguyen <->  | 1200 Elm Ave / Austin / TX / 78704 | Edmunds / Edmunds | 2026-11-21 15:12:45 | buy used 2020 Kia Niro => 2020 Kia Niro");
}

#[test]
fn adf_errors_and_oddities() {
    let err = parse_adf(fixture!("adf_malformed.xml")).unwrap_err().to_string();
    assert_eq!(
        err,
        "malformed XML: the document ends before <email> is closed (line 11, column 30)"
    );
    for (bad, at) in [
        ("<adf><prospect></customer></adf>", 16),
        ("hello", 1),
        ("<adf><prospect>", 16),
        ("<adf a=></adf", 9),
    ] {
        let err = parse_adf(bad.as_bytes()).unwrap_err();
        assert!(
            matches!(&err, LeadParseError::MalformedXml(m) if m.ends_with(&format!("(line 1, column {at})"))),
            "{err}"
        );
    }
    let err = parse_adf(b"<?xml version=\"1.0\"?>\n<adf>\n  <note>nothing</note>\n</adf>\n").unwrap_err();
    assert_eq!(err, Shape("no <prospect> in the ADF document".into()));
    assert_eq!(
        (parse_adf(b"\xEF\xBB\xBF \n\t"), parse_json(b"")),
        (Err(Empty), Err(Empty))
    );
    // Latin-1 bytes, character references, unknown entities, a fax-only contact
    let l = one(
        b"<adf><prospect><customer><contact><name part=\"full\">Jos\xE9 &#x4D;u&ntilde;oz</name>\
        <phone type=\"FAX\">512-555-0199</phone></contact></customer></prospect></adf>",
    );
    assert_eq!(
        (l.first_name.as_deref(), l.last_name.as_deref(), l.phones.len()),
        (Some("Jos\u{e9}"), Some("Mu&ntilde;oz"), 0)
    );
}

/// A prospect that a lead intake would accept.
const PROSPECT: &str = "<prospect><customer><contact><name part=\"full\">Ana Lopez</name>\
    <phone>512-555-0142</phone></contact></customer></prospect>";

fn refused(body: &str) -> String {
    match parse_adf(body.as_bytes()) {
        Err(LeadParseError::XmlTooComplex(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn accepted(body: &str) -> usize {
    parse_adf(body.as_bytes()).map(|leads| leads.len()).unwrap()
}

#[test]
fn adf_limits_refuse_hostile_documents_early() {
    let attrs = |n: usize| (0..n).map(|i| format!(" a{i}=\"\"")).collect::<String>();
    assert_eq!(accepted(&format!("<adf{}>{PROSPECT}</adf>", attrs(MAX_ATTRIBUTES))), 1);
    assert_eq!(
        refused(&format!("<adf>\n<prospect{}>{PROSPECT}</adf>", attrs(85_000))),
        "an element has more than 64 attributes (line 2, column 1)"
    );

    // <adf> is at depth 1, so 31 more levels reach the limit
    let nested = |n: usize| format!("{}{}", "<x>".repeat(n), "</x>".repeat(n));
    assert_eq!(accepted(&format!("<adf>{PROSPECT}{}</adf>", nested(MAX_DEPTH - 1))), 1);
    let m = refused(&format!("<adf>{PROSPECT}{}</adf>", nested(MAX_DEPTH)));
    assert!(
        m.starts_with("elements are nested more than 32 deep (line 1, column "),
        "{m}"
    );
    let m = refused(&format!("<adf>{}</adf>", "<x>".repeat(100_000)));
    assert!(m.starts_with("elements are nested more than 32 deep"), "{m}");

    // <adf> and the prospect's five elements, then empty ones up to the limit
    let elements = |n: usize| format!("<adf>{PROSPECT}{}</adf>", "<x/>".repeat(n - 6));
    assert_eq!(accepted(&elements(MAX_ELEMENTS)), 1);
    let m = refused(&elements(MAX_ELEMENTS + 1));
    assert!(m.starts_with("the document has more than 10000 elements"), "{m}");

    // the text of one element, counted across the pieces it is read in
    let comments = |text: &str| format!("<adf><comments>{text}</comments>{PROSPECT}</adf>");
    assert_eq!(accepted(&comments(&"x".repeat(MAX_TEXT_BYTES))), 1);
    let split = format!(
        "{}&amp;{}",
        "x".repeat(MAX_TEXT_BYTES / 2),
        "x".repeat(MAX_TEXT_BYTES / 2)
    );
    let m = refused(&comments(&split));
    assert!(m.starts_with("the text of <comments> is longer than 64 KB"), "{m}");
}

#[test]
fn adf_entities_are_never_expanded_or_fetched() {
    // XXE: an external entity is not read; billion laughs: an internal one is not expanded
    let mut doctype = String::from("<!ENTITY xxe SYSTEM \"file:///etc/passwd\"><!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        doctype.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
    }
    let body = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE adf [{doctype}]>\n<adf><prospect><customer><contact>\
        <name part=\"first\">&xxe;</name><name part=\"last\">&lol9;</name><phone>512-555-0142</phone>\
        </contact></customer><comments>&lol9;&xxe;</comments></prospect></adf>"
    );
    let l = one(body.as_bytes());
    assert_eq!(
        (l.first_name.as_deref(), l.last_name.as_deref(), l.comments.as_deref()),
        (Some("&xxe;"), Some("&lol9;"), Some("&lol9;&xxe;"))
    );
}

#[test]
fn json_fixtures() {
    let l = one(fixture!("lead_website.json"));
    assert_eq!(brief(&l), "Tomás Herrera <tomas.herrera@example.com> (512) 555-0120 (-) | 702 W Mary St / Austin / TX / 78704 | website / - | 2026-11-20 16:45:00 | buy used 2020 Kia Niro => 2020 Kia Niro EX Premium");
    assert_eq!(
        vehicle(&l.vehicles[0]),
        "buy used 2020 Kia Niro EX Premium vin KNDCB3LC0L5391642 stock U5120 odo 38904"
    );
    assert_eq!(
        l.comments.as_deref(),
        Some("Saw the Niro online. Is it still available?\nI can come by Saturday morning.")
    );
    assert_eq!(l.timezone.as_deref(), Some("America/Chicago"));

    let leads = parse_json(fixture!("leads_batch.json")).unwrap();
    let want = [
        "ANA LOPEZ <ana.lopez@example.com> 512-555-0132 (mobile), 512-555-0131 (home) | - / - / Texas / 78745 | dms_sales / - | - | - => -",
        "Ben Carter <-> 5125550141 (mobile), 512-555-0140 (-) | - / Pflugerville / tx / 78660 | - / CarGurus | 2026-11-20 08:03:00 | wants a 3-row SUV under $40k => 2022 Toyota RAV4 XLE",
        "June Park <-> 512-555-0150 (-) | - / - / - / - | - / - | - | - => 2025 Honda Pilot",
    ];
    assert_eq!(leads.iter().map(brief).collect::<Vec<_>>(), want);
    let money = |l: &ParsedLead| {
        (
            l.purchased_on.map(|d| d.to_string()),
            l.financed_term_months,
            l.monthly_payment_cents,
        )
    };
    assert_eq!(money(&leads[0]), (Some("2022-06-14".into()), Some(72), Some(41250)));
    assert_eq!(money(&leads[2]), (Some("2021-03-02".into()), Some(60), Some(38999)));
    let v: Vec<String> = leads[0]
        .vehicles
        .iter()
        .chain(&leads[1].vehicles)
        .map(vehicle)
        .collect();
    assert_eq!(
        v,
        [
            "- - 2022 Ford F-150 - vin 1FTFW1E81NFA27015 stock - odo -",
            "trade-in used 2019 Hyundai Sonata - vin 5NPE34AF8KH802213 stock - odo 45210",
            "buy used 2022 Toyota RAV4 XLE vin JTMWFREV6ND143987 stock P2210 odo -",
        ]
    );
}

#[test]
fn json_errors_and_leniency() {
    let err = parse_json(b"{\n  \"first_name\": \"Ana\",\n  \"phone\": }").unwrap_err();
    assert_eq!(
        err,
        LeadParseError::MalformedJson("expected value at line 3 column 12".into())
    );
    let shape = |body: &str| match parse_json(body.as_bytes()) {
        Err(Shape(m)) => m,
        other => panic!("{body}: {other:?}"),
    };
    assert_eq!(shape("42"), "expected a lead object or an array of them, got a number");
    assert_eq!(shape(r#"{"leads": []}"#), "no leads in the JSON body");
    assert_eq!(
        shape(r#"{"leads": {}}"#),
        "field `leads` must be an array, got an object"
    );
    assert_eq!(
        shape(r#"{"email": ["a@example.com"]}"#),
        "field `email` must be a string, got an array"
    );
    assert_eq!(
        shape(r#"[{}, {"vehicles": [{"year": "soon"}]}]"#),
        "lead 1: field `vehicles[0].year`: \"soon\" is not a number"
    );
    assert_eq!(shape(r#"[{}, 7]"#), "lead 1: expected a lead object, got a number");
    assert_eq!(
        shape(r#"{"monthly_payment": true}"#),
        "field `monthly_payment` must be an amount, got a boolean"
    );
    assert_eq!(
        shape(r#"{"phones": [{"number": {}}]}"#),
        "field `phones[0].number` must be a string, got an object"
    );
    let l = one(
        br#"{"phone": 5125550100, "zip": null, "year": "2024", "make": "Ford", "status": [1], "x": {"y": 1},
        "first_name": "Ana", "name": "Someone Else", "requested_at": 1795179791, "monthly_payment": 412.5}"#,
    );
    assert_eq!(
        brief(&l),
        "Ana - <-> 5125550100 (-) | - / - / - / - | - / - | 2026-11-20 13:03:11 | - => -"
    );
    assert_eq!(
        (vehicle(&l.vehicles[0]).as_str(), l.monthly_payment_cents),
        ("- - 2024 Ford - - vin - stock - odo -", Some(41250))
    );
}

#[test]
fn loose_dates() {
    let fmt = |s: &str| parse_datetime(s).map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f").to_string());
    for s in [
        "2026-11-20T08:03:11-05:00",
        "2026-11-20T8:3:11-05:00",
        "2026-11-20T08:03:11-0500",
        "2026-11-20T13:03:11Z",
    ] {
        assert_eq!(fmt(s).as_deref(), Some("2026-11-20 13:03:11.000"), "{s}");
    }
    let cases = [
        ("2026-11-20T08:03:11.25-05:00", "2026-11-20 13:03:11.250"),
        (" 2026-11-20 08:03:11 ", "2026-11-20 08:03:11.000"),
        ("2026-11-20 8:3", "2026-11-20 08:03:00.000"),
        ("11/20/2026 8:03 AM", "2026-11-20 08:03:00.000"),
        ("11/20/2026 8:03 pm", "2026-11-20 20:03:00.000"),
        ("2026-11-20", "2026-11-20 00:00:00.000"),
        ("11/20/2026", "2026-11-20 00:00:00.000"),
    ];
    for (s, want) in cases {
        assert_eq!(fmt(s).as_deref(), Some(want), "{s}");
    }
    for bad in ["", "soon", "2026-13-45", "20/11/2026 8:03"] {
        assert_eq!(parse_datetime(bad), None, "{bad}");
    }
    assert_eq!(parse_date("3/2/2021 3:20 PM"), NaiveDate::from_ymd_opt(2021, 3, 2));
    assert_eq!(
        parse_date("2021-03-02T23:20:00-06:00"),
        NaiveDate::from_ymd_opt(2021, 3, 2)
    );
}

#[test]
fn phone_ordering() {
    let given = [
        ("01", "work"),
        ("02", "fax"),
        ("03", "pager"),
        ("04", "home"),
        ("05", "voice"),
        ("06", "cellphone"),
    ];
    let mut phones: Vec<ParsedPhone> = given
        .iter()
        .map(|(n, k)| phone(format!("555-01{n}"), Some(k)))
        .collect();
    phones.insert(2, phone("555-0107".into(), None));
    phones.push(phone("555-0108".into(), Some("SMS")));
    let order: Vec<String> = rank_phones(phones)
        .into_iter()
        .map(|p| p.raw[6..].to_string())
        .collect();
    assert_eq!(order, ["06", "08", "07", "05", "04", "01", "03"]);
    let twice = vec![
        phone("512-555-0100".into(), Some("home")),
        phone("(512) 555-0100".into(), Some("Mobile")),
    ];
    assert_eq!(rank_phones(twice), vec![phone("(512) 555-0100".into(), Some("mobile"))]);
}

#[test]
fn name_splitting() {
    let split = |s| split_name(s);
    assert_eq!(split("Ana Lopez"), (Some("Ana".into()), Some("Lopez".into())));
    assert_eq!(
        split("  Mary  Ann   Smith "),
        (Some("Mary Ann".into()), Some("Smith".into()))
    );
    assert_eq!(split("LOPEZ, ANA"), (Some("ANA".into()), Some("LOPEZ".into())));
    assert_eq!((split("Cher"), split("")), ((Some("Cher".into()), None), (None, None)));
}

#[test]
fn money_and_odometer() {
    for (s, want) in [
        ("412.50", 41250),
        ("$412.50", 41250),
        ("$1,412.5", 141250),
        ("412", 41200),
        ("USD 99.99/mo", 9999),
    ] {
        assert_eq!(parse_cents(s), Some(want), "{s}");
    }
    for (s, want) in [
        ("45,210", 45210),
        ("45210 mi", 45210),
        (" 45210 ", 45210),
        ("72 months", 72),
        ("12.9", 12),
    ] {
        assert_eq!(parse_int(s), Some(want), "{s}");
    }
    assert_eq!(
        (
            parse_cents("call me"),
            parse_int("about 40k"),
            parse_int("99999999999999999999")
        ),
        (None, None, None)
    );
}

#[test]
fn xml_detection() {
    for ct in [
        "application/xml",
        "Text/XML; charset=utf-8",
        "application/x-adf+xml;charset=ISO-8859-1",
    ] {
        assert!(is_xml(Some(ct), b"{}"), "{ct}");
    }
    for body in [
        &b"<?xml version=\"1.0\"?><adf/>"[..],
        b"\xEF\xBB\xBF \n<?ADF VERSION=\"1.0\"?>",
        b"  <ADF>",
    ] {
        assert!(is_xml(Some("application/json"), body));
    }
    for body in [&b"{\"a\": 1}"[..], b"", b"<html>", b"\xEF\xBB\xBF", b"<?xm"] {
        assert!(!is_xml(None, body));
    }
}

#[test]
fn never_panics() {
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let samples = [
        fixture!("adf_cars_com.xml"),
        fixture!("adf_sloppy_uppercase.xml"),
        fixture!("leads_batch.json"),
    ];
    for round in 0..3000 {
        let mut body = samples[round % 3].to_vec();
        match round % 4 {
            0 => body = (0..next() % 300).map(|_| next() as u8).collect(),
            1 => body.truncate(next() % body.len()),
            _ => {
                for _ in 0..1 + next() % 8 {
                    let i = next() % body.len();
                    body[i] = b"<>/&;\"'=x\0\xff!?[]{}:,"[next() % 19];
                }
            }
        }
        let _ = (is_xml(None, &body), parse_adf(&body), parse_json(&body));
    }
    assert!(parse_adf("<a>".repeat(100_000).as_bytes()).is_err()); // flat tree: no deep recursion
}
