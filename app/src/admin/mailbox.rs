use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{dev_mailbox, dev_texts},
    short_time,
};
use crate::{components::list::list_or_empty, i18n::use_i18n};

/// Splits mail text into text and links, so verification links can be clicked.
fn linkify(body: &str) -> impl IntoView + use<> {
    let mut parts = Vec::new();
    for (i, line) in body.lines().enumerate() {
        if i > 0 {
            parts.push(view! { "\n" }.into_any());
        }
        for (j, word) in line.split(' ').enumerate() {
            if j > 0 {
                parts.push(view! { " " }.into_any());
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                parts.push(view! { <a href=word.to_owned()>{word.to_owned()}</a> }.into_any());
            } else {
                parts.push(word.to_owned().into_any());
            }
        }
    }
    parts
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let mails = Resource::new(|| (), |_| dev_mailbox());
    let texts = Resource::new(|| (), |_| dev_texts());
    view! {
        <Title text=move || t().admin_mailbox />
        <h1 class="console__title">{move || t().admin_mailbox}</h1>
        <p class="muted">{move || t().admin_mailbox_lead}</p>
        <Suspense>
            {move || Suspend::new(async move {
                // The sandbox's texts, when it carried any: verification codes are read here.
                let texts = texts.await.unwrap_or_default();
                (!texts.is_empty()).then(|| view! {
                    <section class="stack" aria-labelledby="texts-title">
                        <h2 id="texts-title" class="section__title">{t().phone.title}</h2>
                        <ul class="mail-list stack plain-list">
                            {texts.into_iter().map(|m| view! {
                                <li class="mail-item card">
                                    <p class="mail-item__meta row">
                                        <span>{t().mail_to} " " {m.to}</span>
                                        <span>{short_time(&m.created_at)}</span>
                                        <span class="badge badge--muted">{m.status}</span>
                                    </p>
                                    <p class="pre-wrap">{linkify(&m.body)}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                list_or_empty(t(), mails.await, t().admin_mailbox_none, |rows| view! {
                        <div class="mail-list stack">
                            {rows.into_iter().map(|m| view! {
                                <article class="mail-item card">
                                    <h2 class="mail-item__subject">{m.subject}</h2>
                                    <p class="mail-item__meta row">
                                        <span>{t().mail_to} " " {m.to_address}</span>
                                        <span>{short_time(&m.created_at)}</span>
                                        <span class="badge badge--muted">{m.status}</span>
                                    </p>
                                    <pre class="mail-body">{linkify(&m.body_text)}</pre>
                                </article>
                            }).collect_view()}
                        </div>
                    }.into_any())
            })}
        </Suspense>
    }
}
