use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn defaults_then_file_then_env() {
    let dir = std::env::temp_dir().join(format!("fc-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("forecourt.toml");
    std::fs::write(
        &file,
        "bind = \"0.0.0.0:9000\"\n[jobs]\ninterval_seconds = 30\nenabled = false\n",
    )
    .unwrap();
    let loaded = load(Some(&file), env(&[("FORECOURT_JOBS_INTERVAL_SECONDS", "5")])).unwrap();
    assert_eq!(loaded.config.bind.to_string(), "0.0.0.0:9000");
    assert_eq!(loaded.config.jobs_interval_seconds, 5);
    assert!(!loaded.config.jobs_enabled);
    assert_eq!(loaded.config.session_hours, 12);
    assert_eq!(
        loaded.sources["jobs.interval_seconds"],
        Source::Env("FORECOURT_JOBS_INTERVAL_SECONDS".into())
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_values_name_the_key() {
    let err = load(None, env(&[("FORECOURT_BIND", "nowhere")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`bind`") && err.contains("FORECOURT_BIND"), "{err}");
    let err = load(None, env(&[("FORECOURT_JOBS_INTERVAL_SECONDS", "0")]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("jobs.interval_seconds") && err.contains("between 1 and 3600"),
        "{err}"
    );
    let err = load(None, env(&[("FORECOURT_PUBLIC_URL", "ftp://x")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("public_url"), "{err}");
}

#[test]
fn secrets_are_masked() {
    let loaded = load(None, env(&[("FORECOURT_ADMIN_KEY", "a-very-long-admin-key-123")])).unwrap();
    let text = loaded.describe();
    assert!(!text.contains("a-very-long-admin-key-123"));
    assert!(text.contains("********"));
}

#[test]
fn unknown_env_is_reported_not_fatal() {
    let loaded = load(None, env(&[("FORECOURT_BND", "x"), ("FORECOURT_CONFIG", "y")])).unwrap();
    assert_eq!(loaded.unknown_env, vec!["FORECOURT_BND".to_string()]);
}

#[test]
fn public_url_defaults_to_bind() {
    let c = Config::default();
    assert_eq!(c.public_url(), "http://127.0.0.1:8080");
    assert!(!c.public_url_is_https());
}

#[test]
fn inbox_settings_have_safe_defaults_and_bounds() {
    let c = Config::default();
    assert_eq!(
        (c.inbox_quiet_seconds, c.inbox_unfinished_hours, c.inbox_watch_hours),
        (120, 24, 24)
    );
    let loaded = load(
        None,
        env(&[
            ("FORECOURT_INBOX_QUIET_SECONDS", "0"),
            ("FORECOURT_INBOX_WATCH_HOURS", "48"),
        ]),
    )
    .unwrap();
    assert_eq!(
        (loaded.config.inbox_quiet_seconds, loaded.config.inbox_watch_hours),
        (0, 48)
    );
    let err = load(None, env(&[("FORECOURT_INBOX_UNFINISHED_HOURS", "0")]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("inbox.unfinished_hours") && err.contains("between 1 and 720"),
        "{err}"
    );
}
