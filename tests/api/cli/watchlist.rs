//! `forecourt watchlist backtest`: on a demo database the figures and the sentence; a day in
//! the future is refused naming `--as-of`.

use super::on;

#[test]
fn the_backtest_prints_the_figures_and_the_sentence_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = on(&data, &["demo"]);
    assert_eq!(code, 0, "{err}");
    let day = chrono::Utc::now()
        .checked_sub_months(chrono::Months::new(15))
        .unwrap()
        .date_naive()
        .to_string();
    let (code, out, err) = on(&data, &["watchlist", "backtest", "--as-of", &day]);
    assert_eq!(code, 0, "{err}");
    for line in [
        "customers scored",
        "everyone, 6 months",
        "top 10%, 12 months",
        "12m+",
        "Of the top 10% on ",
    ] {
        assert!(out.contains(line), "no `{line}` in:\n{out}");
    }
    let lift: f64 = out
        .lines()
        .find(|l| l.starts_with("top 10%, 6 months"))
        .and_then(|l| l.split("lift ").nth(1))
        .and_then(|l| l.trim().trim_end_matches('x').parse().ok())
        .unwrap_or_else(|| panic!("no lift in:\n{out}"));
    assert!(lift > 1.5, "lift {lift}");

    let (code, _, err) = on(&data, &["watchlist", "backtest", "--as-of", "2999-01-01"]);
    assert_eq!(code, 1);
    assert!(err.contains("--as-of: 2999-01-01 is in the future"), "{err}");
}
