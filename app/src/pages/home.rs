//! The storefront home. The catalog arrives with the storefront issue; until then it
//! says what the marketplace is and where to start.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <Title text="" />
        <Meta name="description" content=move || t().home_lead />
        <div class="container">
            <section class="hero">
                <p class="hero__eyebrow">{move || t().home_eyebrow}</p>
                <h1 class="hero__title">{move || t().home_title}</h1>
                <p class="hero__lead">{move || t().home_lead}</p>
                <div class="hero__actions row">
                    <a class="btn btn--primary" href="/register">{move || t().home_cta_join}</a>
                    <a class="btn btn--ghost" href="/login">{move || t().nav_login}</a>
                </div>
            </section>
            <section class="section">
                <h2 class="section__title">{move || t().home_why_title}</h2>
                <div class="card-grid">
                    <article class="card feature-card">
                        <div class="feature-card__icon" aria-hidden="true">"✓"</div>
                        <h3 class="feature-card__title">{move || t().home_feature_certified}</h3>
                        <p class="feature-card__text">{move || t().home_feature_certified_text}</p>
                    </article>
                    <article class="card feature-card">
                        <div class="feature-card__icon" aria-hidden="true">"⚙"</div>
                        <h3 class="feature-card__title">{move || t().home_feature_makers}</h3>
                        <p class="feature-card__text">{move || t().home_feature_makers_text}</p>
                    </article>
                    <article class="card feature-card">
                        <div class="feature-card__icon" aria-hidden="true">"⇄"</div>
                        <h3 class="feature-card__title">{move || t().home_feature_safe}</h3>
                        <p class="feature-card__text">{move || t().home_feature_safe_text}</p>
                    </article>
                </div>
            </section>
        </div>
    }
}
