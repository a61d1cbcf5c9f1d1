//! Extractors whose rejections are API errors in the house shape.

use super::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

/// Like `axum::Json`, but a bad body is `{"error": {...}}` with a message that says what is wrong.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                use axum::extract::rejection::JsonRejection::*;
                let (status, code) = match &rejection {
                    MissingJsonContentType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
                    JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
                    JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"),
                    BytesRejection(_) => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
                    _ => (StatusCode::BAD_REQUEST, "bad_request"),
                };
                Err(AppError::new(status, code, rejection.body_text()))
            }
        }
    }
}

/// An optional JSON body: absent when the request has no Content-Type (no body), otherwise it
/// must be valid.
impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::OptionalFromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if req.headers().get(axum::http::header::CONTENT_TYPE).is_none() {
            return Ok(None);
        }
        <Self as FromRequest<S>>::from_request(req, state).await.map(Some)
    }
}
