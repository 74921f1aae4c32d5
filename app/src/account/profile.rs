use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{UpdateProfile, get_profile};
use crate::{
    components::{
        form::{FormError, SubmitButton, TextArea, TextField, action_error, field_error},
        query::query_flag,
    },
    i18n::use_i18n,
};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<UpdateProfile>::new();
    let error = action_error(action.into());
    let saved = query_flag("saved");
    let profile = Resource::new(|| (), |_| get_profile());
    view! {
        <Title text=move || t().account_profile />
        <section class="card">
            {move || saved.get().then(|| view! { <div class="alert alert--success" role="status">{t().profile_saved}</div> })}
            <Suspense>
                {move || Suspend::new(async move {
                    let p = profile.await.unwrap_or_default();
                    view! {
                        <ActionForm action=action attr:class="form" attr:novalidate=true>
                            <FormError error />
                            <TextField label=Signal::derive(move || t().field_name) name="name" value=p.name
                                autocomplete="name" required=true maxlength=80 error=field_error(error, "name") />
                            <TextArea label=Signal::derive(move || t().field_bio) name="bio" value=p.bio
                                error=field_error(error, "bio") />
                            <TextField label=Signal::derive(move || t().field_location) name="location" value=p.location
                                maxlength=120 error=field_error(error, "location") />
                            <TextField label=Signal::derive(move || t().field_website) name="website" input_type="url"
                                value=p.website placeholder="https://" error=field_error(error, "website") />
                            <TextArea label=Signal::derive(move || t().field_social_links) name="social_links"
                                value=p.social_links.join("\n") rows=3
                                hint=Signal::derive(move || t().social_links_hint)
                                error=field_error(error, "social_links") />
                            <div class="form-actions">
                                <SubmitButton label=Signal::derive(move || t().save) pending=action.pending().into() />
                            </div>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}
