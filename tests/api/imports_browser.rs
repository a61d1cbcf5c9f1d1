//! The Imports page in real headless Chromium, on the demo store: a manager picks a messy deals
//! export, reads its dry-run errors, imports it and finds it in the history; the page fits a
//! 390 px phone. Screenshots at 1440×900 and 390×844 land in target/screenshots/.

use crate::browser::Browser;
use crate::pages::{demo_app, shot, sign_in, wait_url};
use std::time::Duration;

#[tokio::test]
async fn a_manager_uploads_a_messy_export_reads_its_errors_and_imports_it() {
    let (t, password) = demo_app().await;
    let b = Browser::start().await;
    b.set_window_size(1440, 900).await;
    sign_in(&b, &t, &password).await;
    b.goto(&format!("{}/settings", t.url)).await;
    b.find("#manage-imports").await.click().await;
    wait_url(&b, "/imports").await;

    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dms/cdk_deals.csv");
    b.find("#file").await.send_keys(fixture.to_str().unwrap()).await;
    b.find("#check-upload").await.click().await;
    let dry = b.wait_for("#dry-run", Duration::from_secs(10)).await;
    let text = dry.text().await;
    assert!(text.contains("Check before importing: cdk_deals.csv"), "{text}");
    assert!(
        !b.find_all("#import-issues tr.bad").await.is_empty(),
        "the refused rows are listed"
    );
    b.screenshot(&shot("imports-dry-run.png")).await;
    b.set_window_size(390, 844).await;
    b.screenshot(&shot("imports-390.png")).await;
    let width = b.execute_width().await;
    assert!(width <= 390, "the dry run is {width} px wide on a phone");

    b.find("#import-now").await.click().await;
    wait_url(&b, "/imports/history/").await;
    let status = b.wait_for("#import-status", Duration::from_secs(10)).await.text().await;
    assert_eq!(status, "rows refused");
    assert!(b
        .find("#issues-csv")
        .await
        .attr("href")
        .await
        .unwrap()
        .ends_with("/issues.csv"));
    let width = b.execute_width().await;
    assert!(width <= 390, "the report is {width} px wide on a phone");
    b.goto(&format!("{}/imports", t.url)).await;
    let history = b.wait_for("#import-history", Duration::from_secs(5)).await.text().await;
    assert!(
        history.contains("cdk_deals.csv") && history.contains("uploaded"),
        "{history}"
    );
    assert!(b.execute_width().await <= 390);
    b.quit().await;
}

impl Browser {
    /// The page's width, to compare with the window's.
    async fn execute_width(&self) -> i64 {
        self.eval("return document.documentElement.scrollWidth")
            .await
            .as_i64()
            .unwrap()
    }
}
