//! The offer panel: an outcome with revenue (the outcome API's rules), stopping offers.

use super::*;

#[tokio::test]
async fn marking_an_offer_accepted_with_revenue_changes_the_offers_page() {
    let m = setup().await;
    catalog(&m).await;
    m.import_csv(&appointment_csv("APT-2001", "11/27/2026", "10:00 AM"))
        .await;
    m.tick("2026-11-25T17:00:00Z").await;
    let lead: i64 = count(&m.t, "SELECT id FROM leads WHERE phone_e164 = '+15125550142'");
    let send: i64 = count(&m.t, "SELECT id FROM offer_sends WHERE offer_id IS NOT NULL");
    let rep = sign_in(&m).await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(
        html.contains("Cabin Air Filter") && html.contains("visit APT-2001"),
        "{html}"
    );
    assert!(
        html.contains("offer: Cabin Air Filter"),
        "the text names its offer: {html}"
    );
    assert!(html.contains(">upsell offer<"));
    let csrf = hidden_input(&html, "csrf");
    let path = format!("/threads/{lead}/offers/{send}/outcome");

    // revenue on a declined offer, or not an amount: refused, nothing written
    for (outcome, revenue, message) in [
        ("declined", "50", "Revenue goes only with an accepted offer"),
        ("accepted", "lots", "is not an amount in dollars"),
        ("accepted", "2000000", "revenue_cents must be from 0 to 100000000"),
    ] {
        let (status, html) = rep
            .post(
                &m,
                &path,
                &[
                    ("csrf", &csrf),
                    ("outcome", outcome),
                    ("revenue", revenue),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(status, 422, "{message}");
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM offer_sends WHERE accepted IS NOT NULL"),
        0
    );

    let (status, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("outcome", "accepted"),
                ("revenue", "$89.95"),
                ("note", "added at the desk"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("accepted by a rep") && html.contains("$89.95") && html.contains("added at the desk"),
        "{html}"
    );
    let (_, offers) = rep.get(&m, "/offers").await;
    assert!(offers.contains("$89.95</td>"), "{offers}");

    // stop offers to this customer: the engine skips them from now on
    let (_, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/offers/suppress"),
            &[("csrf", &csrf), ("suppress", "1")],
        )
        .await;
    assert!(html.contains("Offers stopped for this customer"), "{html}");
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE offers_suppressed_by = 'rep@lakeside.example'"
        ),
        1
    );
}
