//! Outgoing webhooks. A user registers endpoints for events ([`endpoints`]); when an
//! event commits, a handler writes one delivery per endpoint entitled to hear it
//! ([`fanout`]); a loop sends due deliveries signed with the endpoint's secret, the
//! same scheme the payment webhooks use, retrying with backoff and switching off an
//! endpoint that fails for days ([`delivery`]).

pub mod delivery;
pub mod endpoints;
pub mod fanout;

/// The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
/// (`commerce::payments::signature`).
pub const SIGNATURE_HEADER: &str = "openaero-signature";
