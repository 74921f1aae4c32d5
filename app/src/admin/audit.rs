use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{AUDIT_PAGE, list_audit},
    short_time,
};
use crate::{
    components::{list::list_or_empty, query::query_value},
    i18n::use_i18n,
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let before = query_value("before");
    let entries = Resource::new(move || before.get().and_then(|b| b.parse::<i64>().ok()), list_audit);
    view! {
        <Title text=move || t().admin_audit />
        <h1 class="console__title">{move || t().admin_audit}</h1>
        <Transition>
            {move || Suspend::new(async move {
                list_or_empty(t(), entries.await, t().admin_audit_none, |rows| {
                        let older = (rows.len() as i64 == AUDIT_PAGE).then(|| rows.last().map(|r| r.id)).flatten();
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t().admin_audit>
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t().admin_when}</th>
                                            <th scope="col">{t().admin_who}</th>
                                            <th scope="col">{t().admin_action}</th>
                                            <th scope="col">{t().admin_target}</th>
                                            <th scope="col">{t().admin_details}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td class="nowrap">{short_time(&r.created_at)}</td>
                                                <td>{r.actor_email.unwrap_or_else(|| "system".into())}</td>
                                                <td><code>{r.action}</code></td>
                                                <td><code>{format!("{}:{}", r.target_type, r.target_id)}</code></td>
                                                <td><code>{r.details}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {older.map(|id| view! {
                                <nav class="pagination">
                                    <a class="btn btn--ghost btn--small" href=format!("/admin/audit?before={id}")>{t().older}</a>
                                </nav>
                            })}
                        }.into_any()
                    })
            })}
        </Transition>
    }
}
