//! The file picker that uploads as soon as files are chosen: several at once, each in
//! resumable chunks with its progress shown, refused files named with their reason.
//! The chosen files' ids travel with the surrounding form in a hidden field.

use leptos::prelude::*;
use types::{
    ErrorCode,
    files::{FileAccess, FileInfo, ThumbnailSize, human_size},
};

use crate::i18n::use_i18n;

/// One file on its way up.
#[derive(Debug, Clone, PartialEq)]
struct Transfer {
    key: u32,
    name: String,
    sent: u64,
    total: u64,
    error: Option<ErrorCode>,
}

/// The picker inside a form. Its code is an island loaded when a page shows it, so a
/// shopper's browser never downloads it.
#[component]
pub fn FileUpload(
    #[prop(into)] label: Signal<&'static str>,
    /// The form field that carries the ids, comma-separated.
    name: &'static str,
    #[prop(default = FileAccess::Private)] access: FileAccess,
    /// The `accept` attribute: what the picker offers (the server decides what it takes).
    accept: &'static str,
    #[prop(optional)] initial: Vec<FileInfo>,
    #[prop(optional, into)] hint: MaybeProp<&'static str>,
    #[prop(optional, into)] error: MaybeProp<ErrorCode>,
) -> impl IntoView {
    view! {
        <FileUploadIsland
            label=label.get_untracked().to_owned()
            name=name.to_owned()
            access
            accept=accept.to_owned()
            initial
            hint=hint.get_untracked().map(str::to_owned)
            error=error.get_untracked()
        />
    }
}

#[island(lazy)]
fn FileUploadIsland(
    label: String,
    name: String,
    access: FileAccess,
    accept: String,
    initial: Vec<FileInfo>,
    hint: Option<String>,
    error: Option<ErrorCode>,
) -> impl IntoView {
    let i18n = use_i18n();
    let files = RwSignal::new(initial);
    let transfers = RwSignal::new(Vec::<Transfer>::new());
    let ids = move || files.with(|f| f.iter().map(|f| f.id.to_string()).collect::<Vec<_>>().join(","));
    let id = format!("field-{name}");
    // Sent disabled: the picker takes files once its code has arrived (an effect runs
    // in the browser only), and without JavaScript it never could.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        transfer::start(ev, access, files, transfers);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, access, transfers);
    };
    view! {
        <div class="field upload" class:field--error=error.is_some()>
            <label for=id.clone()>{label}</label>
            <input id=id type="file" multiple=true accept=accept disabled=move || !live.get() on:change=on_change />
            <input type="hidden" name=name value=ids />
            {hint.map(|h| view! { <p class="field__hint">{h}</p> })}
            <noscript><p class="field__hint">{move || i18n.t().portal.upload_needs_js}</p></noscript>
            <ul class="upload__list" aria-live="polite">
                {move || transfers.get().into_iter().map(|t| {
                    let percent = (t.sent * 100).checked_div(t.total).unwrap_or(100);
                    view! {
                        <li class="upload__item" class:upload__item--error=t.error.is_some()>
                            <span class="upload__name">{t.name.clone()}</span>
                            {match t.error {
                                Some(code) => view! { <span class="field__error">{(i18n.t().error)(code)}</span> }.into_any(),
                                None => view! {
                                    <progress max="100" value=percent.to_string()>{format!("{percent}%")}</progress>
                                    <span class="upload__size">{format!("{percent}%")}</span>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
                {move || files.get().into_iter().enumerate().map(|(index, f)| {
                    let file_id = f.id;
                    let move_label = format!("{} {}", i18n.t().portal.move_up, f.name);
                    view! {
                        <li class="upload__item">
                            {f.thumbnail_url(ThumbnailSize::Small).map(|src| view! {
                                <img class="upload__thumb" src=src alt="" width="48" height="48" />
                            })}
                            <a class="upload__name" href=f.url() target="_blank" rel="noopener">{f.name.clone()}</a>
                            <span class="upload__size">{human_size(f.size_bytes)}</span>
                            {(index > 0).then(|| view! {
                                <button type="button" class="btn btn--ghost btn--small"
                                    aria-label=move_label
                                    on:click=move |_| files.update(|list| list.swap(index - 1, index))>
                                    "↑"
                                </button>
                            })}
                            <button type="button" class="btn btn--ghost btn--small"
                                on:click=move |_| files.update(|list| list.retain(|x| x.id != file_id))>
                                {move || i18n.t().portal.remove}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {error.map(|code| view! { <p class="field__error">{(i18n.t().error)(code)}</p> })}
        </div>
    }
}

/// The browser side: the resumable protocol of `server/src/files.rs` over `fetch`.
#[cfg(feature = "hydrate")]
mod transfer {
    use leptos::{prelude::*, task::spawn_local};
    use types::{
        ErrorCode,
        files::{FileAccess, FileInfo, UploadStatus},
    };
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{File, Headers, HtmlInputElement, Request, RequestInit, Response};

    use types::TextEnum;

    use super::Transfer;

    /// Tries per chunk before the file is given up (a flaky connection).
    const ATTEMPTS: u32 = 3;

    pub fn start(
        ev: leptos::ev::Event,
        access: FileAccess,
        files: RwSignal<Vec<FileInfo>>,
        transfers: RwSignal<Vec<Transfer>>,
    ) {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let key = transfers.with_untracked(|t| t.iter().map(|x| x.key + 1).max().unwrap_or(0)) + i;
            transfers.update(|t| {
                t.push(Transfer { key, name: file.name(), sent: 0, total: file.size() as u64, error: None })
            });
            spawn_local(async move {
                match upload(&file, access, key, transfers).await {
                    Ok(info) => {
                        transfers.update(|t| t.retain(|x| x.key != key));
                        files.update(|f| f.push(info));
                    }
                    Err(code) => transfers.update(|t| {
                        if let Some(x) = t.iter_mut().find(|x| x.key == key) {
                            x.error = Some(code);
                        }
                    }),
                }
            });
        }
        // The same file may be chosen again after a failure.
        input.set_value("");
    }

    async fn upload(
        file: &File,
        access: FileAccess,
        key: u32,
        transfers: RwSignal<Vec<Transfer>>,
    ) -> Result<FileInfo, ErrorCode> {
        let begin = serde_json::json!({ "name": file.name(), "size": file.size() as u64, "access": access.as_str() });
        let status: UploadStatus =
            call("POST", "/api/files/uploads", Some(&JsValue::from_str(&begin.to_string())), Some("application/json"))
                .await?;
        let size = file.size();
        for index in status.chunks_to_send() {
            let start = f64::from(index) * f64::from(status.chunk_size);
            let end = (start + f64::from(status.chunk_size)).min(size);
            let blob = file.slice_with_f64_and_f64(start, end).map_err(|_| ErrorCode::Internal)?;
            let url = format!("/api/files/uploads/{}/chunks/{index}", status.id);
            let mut attempt = 0;
            loop {
                attempt += 1;
                match call::<UploadStatus>("PUT", &url, Some(&blob), Some("application/octet-stream")).await {
                    Ok(_) => break,
                    Err(ErrorCode::Unreachable | ErrorCode::Internal) if attempt < ATTEMPTS => {
                        sleep_ms(500 * attempt).await;
                    }
                    Err(code) => return Err(code),
                }
            }
            transfers.update(|t| {
                if let Some(x) = t.iter_mut().find(|x| x.key == key) {
                    x.sent = end as u64;
                }
            });
        }
        call("POST", &format!("/api/files/uploads/{}/complete", status.id), None, None).await
    }

    async fn sleep_ms(ms: u32) {
        let promise = timer(ms);
        let _ = JsFuture::from(promise).await;
    }

    fn timer(ms: u32) -> web_sys::js_sys::Promise {
        web_sys::js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
            }
        })
    }

    /// One JSON request; a refusal comes back as its error code.
    async fn call<T: serde::de::DeserializeOwned>(
        method: &str,
        url: &str,
        body: Option<&JsValue>,
        content_type: Option<&str>,
    ) -> Result<T, ErrorCode> {
        let init = RequestInit::new();
        init.set_method(method);
        let headers = Headers::new().map_err(|_| ErrorCode::Internal)?;
        let _ = headers.set("accept", "application/json");
        if let Some(content_type) = content_type {
            let _ = headers.set("content-type", content_type);
        }
        init.set_headers(&headers);
        if let Some(body) = body {
            init.set_body(body);
        }
        let request = Request::new_with_str_and_init(url, &init).map_err(|_| ErrorCode::Internal)?;
        let window = web_sys::window().ok_or(ErrorCode::Internal)?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| ErrorCode::Unreachable)?
            .dyn_into()
            .map_err(|_| ErrorCode::Internal)?;
        let text = JsFuture::from(response.text().map_err(|_| ErrorCode::Internal)?)
            .await
            .map_err(|_| ErrorCode::Unreachable)?
            .as_string()
            .unwrap_or_default();
        if response.ok() {
            serde_json::from_str(&text).map_err(|_| ErrorCode::Internal)
        } else {
            Err(serde_json::from_str::<crate::error::AppError>(&text).map(|e| e.code).unwrap_or(ErrorCode::Internal))
        }
    }
}
