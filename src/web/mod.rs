//! HTTP: JSON APIs under /api, Twilio webhooks under /webhooks, server-rendered pages for people.
//! Handlers are thin: parse, call one function, map the result.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod links;
pub mod login_throttle;
pub mod multipart;
pub mod next_path;
pub mod pages;
pub mod security_headers;
pub mod webhooks;

use crate::App;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use error::AppError;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub fn router(app: App) -> Router {
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request| {
        let id = req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
    });
    Router::new()
        .route("/healthz", get(healthz))
        .route("/o/{token}", get(links::follow))
        .nest("/api", api::routes())
        .nest("/webhooks", webhooks::routes())
        .merge(pages::routes(&app))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        // outermost, so every response has them, whatever made it
        .layer(axum::middleware::from_fn(security_headers::add))
        .with_state(app)
}

/// Liveness and readiness: the database answers and its schema is the one this binary expects.
async fn healthz(State(app): State<App>) -> Response {
    // the binary's migrations do not change while it runs
    static EXPECTED: std::sync::OnceLock<Option<i64>> = std::sync::OnceLock::new();
    let expected = *EXPECTED.get_or_init(|| crate::db::Db::embedded_migrations().iter().map(|m| m.0 as i64).max());
    match app.db.call(|c| crate::db::schema_version(c)).await {
        Ok(version) => {
            let current = version == expected;
            let status = if current {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let body = serde_json::json!({
                "status": if current { "ok" } else { "schema_mismatch" },
                "database": "ok",
                "schema_version": version,
                "expected_schema_version": expected,
                "version": env!("CARGO_PKG_VERSION"),
            });
            (status, Json(body)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            let body =
                serde_json::json!({"status": "error", "database": "unreachable", "version": env!("CARGO_PKG_VERSION")});
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

fn wants_json(req: &Request) -> bool {
    req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/webhooks/")
}

async fn not_found(req: Request) -> Response {
    if wants_json(&req) {
        AppError::not_found(format!("no route for {} {}", req.method(), req.uri().path())).into_response()
    } else {
        pages::error_page(
            StatusCode::NOT_FOUND,
            "Page not found",
            "There is no page at this address.",
        )
    }
}

async fn method_not_allowed(req: Request) -> Response {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}", req.method(), req.uri().path()),
    )
    .into_response()
}

/// Serve until `shutdown` resolves, then finish in-flight requests. Each request knows its TCP
/// peer (`ConnectInfo<SocketAddr>`): sign-in throttling counts failures per client address.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // open live pages (Server-Sent Events) end when shutdown begins, so it never waits on them
    let (stop_streams, streams_stop) = tokio::sync::watch::channel(false);
    let router = router(app).layer(axum::Extension(pages::StreamsStop(streams_stop)));
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_streams.send(true);
    })
    .await
}
