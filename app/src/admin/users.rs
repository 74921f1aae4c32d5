use leptos::prelude::*;
use leptos_meta::Title;
use types::TextEnum;
use types::{Role, admin::UserSummary};

use super::{
    api::{SetUserRole, search_users},
    short_time,
};
use crate::{
    components::form::{FormError, action_error},
    components::list::list_or_empty,
    components::query::query_value,
    i18n::use_i18n,
};

/// Find users by email or name; grant and revoke roles.
#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let query = query_value("q");
    let set_role = ServerAction::<SetUserRole>::new();
    let error = action_error(set_role.into());
    let users = Resource::new(move || query.get().unwrap_or_default(), search_users);
    view! {
        <Title text=move || t().admin_users />
        <h1 class="console__title">{move || t().admin_users}</h1>
        <form class="search-bar" method="get" action="/admin/users" role="search" aria-label=move || t().admin_users_search>
            <label class="sr-only" for="user-search">{move || t().admin_users_search}</label>
            <input id="user-search" type="search" name="q" value=move || query.get().unwrap_or_default()
                placeholder=move || t().admin_users_search />
            <button type="submit" class="btn btn--primary">{move || t().search}</button>
        </form>
        <FormError error />
        <Transition>
            {move || Suspend::new(async move {
                list_or_empty(t(), users.await, t().admin_users_none, |rows| view! {
                        <div class="table-wrap">
                            <table class="table table--stack">
                                <thead>
                                    <tr>
                                        <th scope="col">{t().field_name}</th>
                                        <th scope="col">{t().field_email}</th>
                                        <th scope="col">{t().admin_roles}</th>
                                        <th scope="col">{t().admin_joined}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|u| view! { <UserRowView user=u set_role /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any())
            })}
        </Transition>
    }
}

#[component]
fn UserRowView(user: UserSummary, set_role: ServerAction<SetUserRole>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let roles = user.roles.clone();
    view! {
        <tr>
            <td data-label=move || t().field_name>
                {user.name.clone()}
                {(!user.email_verified).then(|| view! { " " <span class="badge badge--warn">{t().admin_unverified}</span> })}
            </td>
            <td data-label=move || t().field_email>{user.email.clone()}</td>
            <td data-label=move || t().admin_roles>
                <div class="row">
                    {Role::ALL.iter().copied().map(|role| {
                        let held = roles.contains(&role);
                        let role_label = move || (i18n.t().role_name)(role);
                        let action_label = move || {
                            let t = i18n.t();
                            format!("{} {}", if held { t.admin_revoke } else { t.admin_grant }, (t.role_name)(role))
                        };
                        view! {
                            <ActionForm action=set_role>
                                <input type="hidden" name="user_id" value=user.id.to_string() />
                                <input type="hidden" name="role" value=role.as_str() />
                                <input type="hidden" name="grant" value=(!held).to_string() />
                                <button
                                    type="submit"
                                    class=format!("badge {}", if held { format!("badge--{}", role.as_str()) } else { "badge--muted".to_owned() })
                                    aria-pressed=held.to_string()
                                    title=action_label
                                    aria-label=action_label
                                >
                                    {move || if held { format!("✓ {}", role_label()) } else { format!("+ {}", role_label()) }}
                                </button>
                            </ActionForm>
                        }
                    }).collect_view()}
                </div>
            </td>
            <td class="nowrap" data-label=move || t().admin_joined>{short_time(&user.created_at)}</td>
        </tr>
    }
}
