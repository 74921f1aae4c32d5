//! The OpenAPI 3.1 document, generated from the handlers' annotations, and a
//! reference page made from it on the server (no script, nothing from a CDN).

use std::fmt::Write;

use axum::{
    Json, Router,
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        self,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use crate::ApiState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OpenAero API",
        version = "1.0.0",
        description = "The marketplace's public API: the catalog; a maker's products, stock, sales and \
            payouts; a customer's orders; the admin console's work. \
            Authenticate with a personal access token from your account page \
            (`Authorization: Bearer oa_…`). Conventions, the changelog and the deprecation \
            policy are in docs/API.md."
    ),
    servers((url = "/api/v1")),
    modifiers(&BearerToken),
    tags(
        (name = "catalog", description = "The public catalog (scope catalog:read)"),
        (name = "maker", description = "A maker's products and stock (products:read, products:write), \
            sub-orders (orders:fulfil), balances and payouts (payouts:read, payouts:write)"),
        (name = "orders", description = "A customer's own orders (orders:read, orders:write)"),
        (name = "webhooks", description = "Endpoints that hear events, with their delivery logs (webhooks:write)"),
        (name = "admin", description = "Orders and refunds, payouts, the review queue, users and roles \
            (admin:orders, admin:payouts, admin:review, admin:users)"),
    )
)]
struct Base;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, document: &mut openapi::OpenApi) {
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal access token, made in the account page"))
                    .build(),
            ),
        );
    }
}

/// Adds the answers any operation may give, in the error shape, where an operation
/// does not name them itself: a request that does not read (400), no valid token
/// (401), a scope missing (403), too many requests (429); with a body, one that is not
/// JSON (415) or not the fields asked for (422).
pub fn with_common_answers(mut document: openapi::OpenApi) -> openapi::OpenApi {
    use utoipa::openapi::{Ref, ResponseBuilder, content::ContentBuilder};
    let every = [
        ("400", "The request does not read: a path, parameter or body"),
        ("401", "No token, or one that is not valid, expired or revoked"),
        ("403", "The token does not have the scope, or the rule refuses"),
        ("429", "Too many requests: wait Retry-After seconds"),
    ];
    let with_body = [("415", "The body is not JSON"), ("422", "The body's fields were refused")];
    for item in document.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            let body: &[(&str, &str)] = if operation.request_body.is_some() { &with_body } else { &[] };
            for &(status, description) in every.iter().chain(body) {
                operation.responses.responses.entry(status.to_owned()).or_insert_with(|| {
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorResponse"))).build(),
                        )
                        .build()
                        .into()
                });
            }
        }
    }
    document
}

pub fn base() -> openapi::OpenApi {
    Base::openapi()
}

pub fn routes(document: openapi::OpenApi) -> Router<ApiState> {
    let json = serde_json::to_value(&document).unwrap_or(Value::Null);
    let page = reference(&json);
    Router::new()
        .route("/openapi.json", get(move || std::future::ready(Json(json.clone()))))
        .route("/docs", get(move || std::future::ready(reference_response(&page))))
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a}\
code,pre{font:14px ui-monospace,monospace;background:#f3f4f6}pre{padding:.75rem;overflow:auto}\
.op{border-top:1px solid #d0d4da;padding-top:1rem;margin-top:1.5rem}\
.method{font-weight:700;text-transform:uppercase;margin-right:.5rem}\
table{border-collapse:collapse}td,th{border:1px solid #d0d4da;padding:.25rem .5rem;text-align:left}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The reference page with a policy that allows its one style (by hash) and nothing
/// else: the page runs no script.
fn reference_response(page: &str) -> Response {
    let hash = STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    let policy = format!("default-src 'none'; style-src 'sha256-{hash}'; frame-ancestors 'none'; base-uri 'none'");
    let mut response = Html(page.to_owned()).into_response();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The reference page: every operation with its parameters, body, answers and a
/// `curl` example.
fn reference(document: &Value) -> String {
    let mut body = String::new();
    let title = document["info"]["title"].as_str().unwrap_or("API");
    let _ = write!(
        body,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} reference</title><style>{STYLE}</style></head><body><main>\
         <h1>{} reference</h1><p>{}</p><p>The machine-readable document: \
         <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>",
        escape(title),
        escape(title),
        escape(document["info"]["description"].as_str().unwrap_or("")),
    );
    let empty = serde_json::Map::new();
    for (path, item) in document["paths"].as_object().unwrap_or(&empty) {
        for (method, op) in item.as_object().unwrap_or(&empty) {
            operation(&mut body, method, path, op);
        }
    }
    body.push_str("</main></body></html>");
    body
}

fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    match schema["type"].as_str() {
        Some("array") => format!("list of {}", schema_name(&schema["items"])),
        Some(kind) => kind.to_owned(),
        None => "object".to_owned(),
    }
}

fn operation(body: &mut String, method: &str, path: &str, op: &Value) {
    let summary = op["summary"].as_str().unwrap_or("");
    let _ = write!(
        body,
        "<section class=\"op\"><h2><span class=\"method\">{}</span><code>/api/v1{}</code></h2><p>{}</p>",
        escape(method),
        escape(path),
        escape(summary)
    );
    if let Some(description) = op["description"].as_str() {
        let _ = write!(body, "<p>{}</p>", escape(description));
    }
    let scopes: Vec<&str> = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["token"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !scopes.is_empty() {
        let _ = write!(body, "<p>Scope: <code>{}</code></p>", escape(&scopes.join(", ")));
    }
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        body.push_str(
            "<table><caption>Parameters</caption><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>",
        );
        for p in params {
            let _ = write!(
                body,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(p["name"].as_str().unwrap_or("")),
                escape(p["in"].as_str().unwrap_or("")),
                escape(&schema_name(&p["schema"])),
                escape(p["description"].as_str().unwrap_or("")),
            );
        }
        body.push_str("</table>");
    }
    let request = &op["requestBody"]["content"]["application/json"]["schema"];
    let bytes = !op["requestBody"]["content"]["application/octet-stream"].is_null();
    if !request.is_null() {
        let _ = write!(body, "<p>Body: <code>{}</code> (JSON)</p>", escape(&schema_name(request)));
    } else if bytes {
        body.push_str("<p>Body: the file's bytes, any <code>Content-Type</code></p>");
    }
    body.push_str("<table><caption>Answers</caption><tr><th>status</th><th>meaning</th><th>body</th></tr>");
    let empty = serde_json::Map::new();
    for (status, answer) in op["responses"].as_object().unwrap_or(&empty) {
        let schema = &answer["content"]["application/json"]["schema"];
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(status),
            escape(answer["description"].as_str().unwrap_or("")),
            if schema.is_null() { String::new() } else { format!("<code>{}</code>", escape(&schema_name(schema))) },
        );
    }
    body.push_str("</table>");
    let mut example = format!(
        "curl -H 'Authorization: Bearer oa_…' -X {} 'https://openaero.example/api/v1{path}'",
        method.to_uppercase()
    );
    if !request.is_null() {
        example.push_str(" \\\n  -H 'Content-Type: application/json' -H 'Idempotency-Key: 3f2c…' -d '{…}'");
    } else if bytes {
        example.push_str(" \\\n  -H 'Idempotency-Key: 3f2c…' --data-binary @frame.jpg");
    }
    let _ = write!(body, "<pre><code>{}</code></pre></section>", escape(&example));
}
