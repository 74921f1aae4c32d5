//! A request's trace shows its path through the domain: each use case is a span named
//! after it, carrying the ids it was called with and never its secrets.

use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::{MakeWriter, format::FmtSpan};

use crate::helpers::services;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn a_use_case_is_a_span_with_its_ids_and_without_its_secrets() {
    let services = services().await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_span_events(FmtSpan::NEW)
        .with_max_level(tracing::Level::INFO)
        .without_time()
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let user = types::UserId(uuid::Uuid::new_v4());
    let _ = domain::ledger::payouts::balances(&services.pool, user).await;
    let meta = domain::RequestMeta::default();
    let _ = domain::users::auth::login(&services, "nobody@example.com", "a secret passphrase", &meta).await;

    let trace = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(trace.contains(&format!("balances{{user={user}}}")), "{trace}");
    assert!(trace.contains("login"), "{trace}");
    assert!(!trace.contains("a secret passphrase") && !trace.contains("nobody@example.com"), "{trace}");
}
