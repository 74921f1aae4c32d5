//! Mail through a real SMTP server: a sink process (Python's aiosmtpd) that writes
//! each message it receives into a maildir.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use crate::helpers::spawn_app_with;

struct SmtpSink {
    child: Child,
    port: u16,
    maildir: tempdir::Dir,
}

mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
        let dir = std::env::temp_dir().join(format!("openaero-maildir-{}", uuid::Uuid::new_v4().simple()));
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 -m aiosmtpd (the test command installs it)");
        // Built before waiting, so its Drop stops the process if it never answers.
        let sink = SmtpSink { child, port, maildir: tempdir::Dir(dir) };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sink;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the SMTP sink did not start");
    }

    fn messages(&self) -> Vec<String> {
        let new = self.maildir.0.join("new");
        read_dir(&new)
    }
}

fn read_dir(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
        .unwrap_or_default()
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_verification_mail_reaches_a_real_smtp_server() {
    let sink = SmtpSink::start();
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
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
