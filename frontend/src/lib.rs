//! The browser entry point. Pages are HTML from the server; only the components
//! marked `#[island]` in `app` come alive here, each from the props the server wrote
//! beside it.
//!
//! Belongs here: `hydrate()` and nothing else; the islands live with their pages in `app`.

#![recursion_limit = "256"]

// Linked for the islands' exported hydration functions.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The islands hydrate right after this returns; a macrotask later they are live.
    // End-to-end tests (and curious people) read this to know the page is interactive.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
