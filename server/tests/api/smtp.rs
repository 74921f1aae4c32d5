//! Mail through a real SMTP server: a sink process (Python's aiosmtpd) that writes
//! each message it receives into a maildir.

use std::path::Path;

use crate::{helpers::spawn_app_with, peers::Peer};

struct SmtpSink {
    peer: Peer,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let peer = Peer::start("python3", "the test command installs aiosmtpd with pip", |port, dir| {
            let listen = format!("127.0.0.1:{port}");
            let args = ["-m", "aiosmtpd", "-n", "-l", &listen, "-c", "aiosmtpd.handlers.Mailbox"];
            let mut args: Vec<String> = args.map(String::from).to_vec();
            args.push(dir.join("mail").display().to_string());
            args
        });
        SmtpSink { peer }
    }

    fn messages(&self) -> Vec<String> {
        read_dir(&self.peer.dir.join("mail").join("new"))
    }
}

fn read_dir(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_verification_mail_reaches_a_real_smtp_server() {
    let sink = SmtpSink::start();
    let smtp = format!("smtp://127.0.0.1:{}", sink.peer.port);
    let app =
        spawn_app_with(&[("OPENAERO_SMTP_URL", &smtp), ("OPENAERO_MAIL_FROM", "OpenAero <hello@openaero.test>")]).await;
    app.register("Lin Wei", "lin@example.com").await;
    app.dispatch().await;

    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "exactly one message");
    let message = &messages[0];
    assert!(message.contains("To: lin@example.com"), "{message}");
    assert!(message.contains("From: OpenAero <hello@openaero.test>"), "{message}");
    assert!(message.contains("Subject: [TEST] Confirm your email for OpenAero"), "{message}");
    assert!(message.contains("/verify-email?token="), "{message}");
    let status: String =
        sqlx::query_scalar("select status from outgoing_mail").fetch_one(&app.services.pool).await.expect("row");
    assert_eq!(status, "sent");

    // A second dispatch finds nothing to do: the mail is not sent twice.
    app.dispatch().await;
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_mail_its_reader_may_stop_carries_the_one_click_unsubscribe_headers_and_a_security_mail_none() {
    let sink = SmtpSink::start();
    let smtp = format!("smtp://127.0.0.1:{}", sink.peer.port);
    let app = spawn_app_with(&[("OPENAERO_SMTP_URL", &smtp)]).await;
    let items = crate::checkout::products(&app.services, &[5]).await;
    let buyer = crate::checkout::customer(&app.services.pool, 1).await;
    crate::checkout::fill(&app.services, buyer, &[(items[0].0, 1)]).await;
    crate::checkout::place(&app.services, buyer, crate::checkout::GOOD).await.expect("placed");
    app.dispatch().await;

    let messages = sink.messages();
    let to_buyer = messages.iter().find(|m| m.contains("To: buyer1-")).expect("the order mail");
    assert!(to_buyer.contains("List-Unsubscribe: <http://openaero.test/unsubscribe?token="), "{to_buyer}");
    assert!(to_buyer.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{to_buyer}");

    app.register("Lin Wei", "lin@example.com").await;
    app.dispatch().await;
    let verification = sink.messages().into_iter().find(|m| m.contains("To: lin@example.com")).expect("mail");
    assert!(!verification.contains("List-Unsubscribe"), "an account's own mail cannot be stopped: {verification}");
}
