//! Requests whose client goes away before the answer: the work they began is finished.
//! (Cutting them off also let a page's render tasks outlive its reactive owner tree,
//! which could block a server worker for good; see server/src/run_to_end.rs.)

use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_up_whose_connection_drops_mid_request_still_completes() {
    let app = spawn_app().await;
    // The whole form is sent, then the connection closes before the answer: what a
    // closed tab or a phone leaving coverage does.
    let body = format!("name=Ada+Quick&email=ada%40example.com&password={PASSWORD}&password_confirm={PASSWORD}");
    let host = app.address.trim_start_matches("http://");
    let request = format!(
        "POST /api/account/register HTTP/1.1\r\nhost: {host}\r\naccept: application/json\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut connection = tokio::net::TcpStream::connect(host).await.expect("connect");
    connection.write_all(request.as_bytes()).await.expect("send");
    // Once the server has read the form and claimed the sign-up's throttle, it is
    // hashing the password: the client leaves now.
    let claimed = "select exists(select 1 from throttles where key = 'register-as:ada@example.com' and attempts > 0)";
    while !sqlx::query_scalar::<_, bool>(claimed).fetch_one(&app.services.pool).await.expect("query") {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    drop(connection);

    let mut registered = false;
    for _ in 0..100 {
        registered = sqlx::query_scalar("select exists(select 1 from users where email = 'ada@example.com')")
            .fetch_one(&app.services.pool)
            .await
            .expect("query");
        if registered {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(registered, "the account was created although the client left");
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), reqwest::StatusCode::OK, "and it signs in");
}
