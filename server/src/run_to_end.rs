//! Every request runs to its end on its own task, even when the client goes away.
//!
//! Why: when a client drops a connection mid-render, hyper drops the request's
//! future, and with it the page's reactive owner tree, while the render's spawned
//! tasks (a `Suspend` resolving, an island's component) are still running on the
//! other worker. `reactive_graph` 0.2.16 can then drop an owner's last reference
//! inside `use_context`, while that thread still holds a read lock on a descendant
//! the drop must clean up: the worker blocks on itself for good. A few thousand
//! abandoned product pages took one of the two workers (bench/abandoned.sh); two
//! take the server. Finishing the request first means the tree is dropped only
//! after every task of its render has finished. It also means the work a request
//! began (a form's write, an upload's last part) is never cut off half-way by a
//! closed tab.

use axum::{
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

pub async fn run_to_end(request: Request, next: Next) -> Response {
    let task = tokio::spawn(next.run(request).in_current_span());
    match task.await {
        Ok(response) => response,
        Err(failure) => {
            // A panic in a handler is the server's fault; the process keeps serving.
            tracing::error!(error = %failure, "request handler failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
