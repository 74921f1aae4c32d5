use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::TextEnum;
use types::{
    catalog::CertificationLevel,
    certification::CertificationReview,
    review::{Decision, FieldChange, HistoryEntry, ItemDetail, ReviewKind, ReviewStatus},
};

use super::api::{ClaimItem, DecideItem, RecordResult, ReleaseItem, RemoveResult, review_item};
use crate::{
    components::{
        application::ApplicationSummary,
        certification::TestTable,
        form::{FormError, SubmitButton, TextArea, TextField, action_error, field_error},
        query::query_flag,
        time::{machine_time, short_time},
    },
    i18n::use_i18n,
};

/// One item: what was submitted, what changed since the last approved submission,
/// its history, and the decision form.
#[component]
pub fn ReviewItemPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let claim = ServerAction::<ClaimItem>::new();
    let release = ServerAction::<ReleaseItem>::new();
    let decide = ServerAction::<DecideItem>::new();
    let record = ServerAction::<RecordResult>::new();
    let remove = ServerAction::<RemoveResult>::new();
    let decided = query_flag("decided");
    let claim_error = action_error(claim.into());
    let release_error = action_error(release.into());
    let remove_error = action_error(remove.into());
    let detail = Resource::new(id, review_item);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        // A customer's review is decided for the customer, everything else for a creator.
                        let kind = d.item.kind;
                        view! {
                            <ItemView d claim release decide record remove />
                            {move || decided.get().then(|| view! {
                                <div class="alert alert--success" role="status">
                                    {if kind == ReviewKind::Rating { t().portal.decision_recorded_customer } else { t().portal.decision_recorded }}
                                </div>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
        <FormError error=claim_error />
        <FormError error=release_error />
        <FormError error=remove_error />
    }
}

#[component]
fn ItemView(
    d: ItemDetail,
    claim: ServerAction<ClaimItem>,
    release: ServerAction<ReleaseItem>,
    decide: ServerAction<DecideItem>,
    record: ServerAction<RecordResult>,
    remove: ServerAction<RemoveResult>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let item = d.item.clone();
    let id = item.id.to_string();
    let kind = item.kind;
    // Four eyes: on the reader's own case nothing is theirs to claim, record or decide.
    let open = item.status == ReviewStatus::Open && !item.own_case;
    let status = item.status;
    let claim_id = id.clone();
    let claim_control = match (&item.claimed_by, item.claimed_by_me) {
        _ if item.own_case && item.status == ReviewStatus::Open => {
            view! { <p class="alert alert--info" role="note">{move || t().portal.own_case}</p> }.into_any()
        }
        (_, _) if !open => ().into_any(),
        (Some(_), true) => view! {
            <ActionForm action=release>
                <input type="hidden" name="id" value=claim_id />
                <button type="submit" class="btn btn--ghost">{move || t().portal.release}</button>
            </ActionForm>
        }
        .into_any(),
        (Some(name), false) => {
            let name = name.clone();
            view! { <p class="muted">{move || (t().portal.claimed_by_other)(&name)}</p> }.into_any()
        }
        (None, _) => view! {
            <ActionForm action=claim>
                <input type="hidden" name="id" value=claim_id />
                <button type="submit" class="btn btn--primary">{move || t().portal.claim}</button>
            </ActionForm>
        }
        .into_any(),
    };
    let compared = if !d.has_previous {
        t().portal.first_submission
    } else if d.compared_with_approved {
        t().portal.compared_with_approved
    } else {
        t().portal.compared_with_previous
    };
    view! {
        <Title text=item.title.clone() />
        <header class="stack">
            <p class="eyebrow">{move || (t().portal.review_kind)(kind)}</p>
            <h1 class="console__title">{item.title.clone()}</h1>
            <p class="muted">
                {move || {
                    // A review is sent by its customer about the maker who sold it.
                    let by = if kind == ReviewKind::Rating { t().portal.rating_sold_by } else { t().portal.submitted_by };
                    by(&item.creator_name, &short_time(&item.submitted_at))
                }}
                " · " <span class="badge">{move || (t().portal.review_status)(status)}</span>
            </p>
            {claim_control}
        </header>
        {d.application.map(|application| view! {
            <section class="card stack">
                <h2 class="card__title">{move || t().portal.application}</h2>
                <ApplicationSummary application />
            </section>
        })}
        {(!d.media.is_empty()).then(|| view! {
            <section class="card stack">
                <h2 class="card__title">{move || t().portal.media}</h2>
                <ul class="media-strip">
                    {d.media.iter().map(|m| view! {
                        <li>
                            <a href=m.url() target="_blank" rel="noopener">
                                {match m.thumbnail_url(types::files::ThumbnailSize::Small) {
                                    Some(src) => view! { <img src=src alt=m.name.clone() loading="lazy" /> }.into_any(),
                                    None => view! { <span class="media-strip__file">{m.name.clone()}</span> }.into_any(),
                                }}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.changes}</h2>
            <p class="muted">{compared}</p>
            <ChangesTable changes=d.changes />
        </section>
        {d.certification.clone().map(|c| view! { <CertificationSection c id=id.clone() open record remove /> })}
        {open.then(|| view! { <DecisionForm id=id.clone() kind decide grant=d.certification.clone() /> })}
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.history}</h2>
            <History entries=d.history />
        </section>
    }
}

#[component]
fn ChangesTable(changes: Vec<FieldChange>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <div class="table-wrap">
            <table class="table diff">
                <thead>
                    <tr>
                        <th scope="col">{move || t().portal.field}</th>
                        <th scope="col">{move || t().portal.before}</th>
                        <th scope="col">{move || t().portal.after}</th>
                    </tr>
                </thead>
                <tbody>
                    {changes.into_iter().map(|c| {
                        let changed = c.changed();
                        let field = c.field.clone();
                        view! {
                            <tr class:diff--changed=changed>
                                <th scope="row">{move || (t().portal.field_label)(&field)}</th>
                                <td class="pre-wrap">{c.before.unwrap_or_default()}</td>
                                <td class="pre-wrap">
                                    {changed.then(|| view! { <span class="sr-only">{move || t().portal.changed}</span> })}
                                    {c.after.unwrap_or_default()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A certification application: the documents, the results recorded so far (each
/// removable while the application is open) and the form to record another.
#[component]
fn CertificationSection(
    c: CertificationReview,
    id: String,
    open: bool,
    record: ServerAction<RecordResult>,
    remove: ServerAction<RemoveResult>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().certify;
    let a = c.application;
    let level = a.requested_level;
    let ids: Vec<i64> = a.results.iter().map(|r| r.id).collect();
    let item = id.clone();
    let row_action = open.then(|| {
        Callback::new(move |i: usize| {
            let item = item.clone();
            let result = ids.get(i).copied().unwrap_or_default();
            view! {
                <ActionForm action=remove>
                    <input type="hidden" name="id" value=item />
                    <input type="hidden" name="result" value=result.to_string() />
                    <button type="submit" class="btn btn--ghost btn--small">{move || i18n.t().portal.remove}</button>
                </ActionForm>
            }
            .into_any()
        })
    });
    let error = action_error(record.into());
    let field = move |name: &'static str| field_error(error, name);
    let label = move |f: fn(&crate::i18n::certify::CertifyTexts) -> &'static str| Signal::derive(move || f(t()));
    let today = c.defaults.today.to_string();
    view! {
        <section class="card stack" id="results">
            <h2 class="card__title">{move || i18n.t().portal.application}</h2>
            <p>{move || (t().requested)((i18n.t().shop.level)(level))}</p>
            {(!a.message.is_empty()).then(|| view! { <blockquote class="pre-wrap">{a.message.clone()}</blockquote> })}
            <h3>{move || t().supporting_documents}</h3>
            <ul class="doc-list">
                {a.documents.iter().map(|f| view! {
                    <li><a href=f.url() target="_blank" rel="noopener">{f.name.clone()}</a></li>
                }).collect_view()}
            </ul>
            <h3>{move || t().test_results}</h3>
            {if a.results.is_empty() {
                view! { <p class="muted">{move || t().no_results}</p> }.into_any()
            } else {
                let tests = a.results.iter().map(|r| r.result.clone()).collect::<Vec<_>>();
                match row_action {
                    Some(action) => view! { <TestTable tests row_action=action /> }.into_any(),
                    None => view! { <TestTable tests /> }.into_any(),
                }
            }}
            {open.then(|| view! {
                <ActionForm action=record attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="id" value=id.clone() />
                    <div class="field-row">
                        <TextField label=label(|c| c.test_name) name="test_name" required=true maxlength=120 placeholder="Hover endurance" error=field("test_name") />
                        <TextField label=label(|c| c.metric) name="metric" required=true maxlength=120 placeholder="flight time" error=field("metric") />
                        <TextField label=label(|c| c.value) name="value" required=true placeholder="27.5" error=field("value") />
                        <TextField label=label(|c| c.unit) name="unit" required=true maxlength=20 placeholder="min" error=field("unit") />
                    </div>
                    <div class="field-row">
                        <TextField label=label(|c| c.tested_on) name="tested_on" input_type="date" value=today.clone() required=true error=field("tested_on") />
                        <label class="choice">
                            <input type="checkbox" name="passed" checked=true />
                            <span>{move || t().passed}</span>
                        </label>
                    </div>
                    <div class="form-actions">
                        <SubmitButton label=label(|c| c.record_result) pending=record.pending().into() />
                    </div>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn DecisionForm(
    id: String,
    kind: ReviewKind,
    decide: ServerAction<DecideItem>,
    grant: Option<CertificationReview>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let error = action_error(decide.into());
    // Feedback goes to whoever sent the item: the customer for a review.
    let customer = kind == ReviewKind::Rating;
    let feedback = move || if customer { t().portal.feedback_customer } else { t().portal.feedback };
    let hint = move || if customer { t().portal.feedback_customer_hint } else { t().portal.feedback_hint };
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.decision}</h2>
            <ActionForm action=decide attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=id />
                <fieldset class="fieldset choice-list">
                    <legend>{move || t().portal.decision}</legend>
                    {Decision::ALL.iter().map(|d| view! {
                        <label class="choice">
                            <input type="radio" name="decision" value=d.as_str() required=true checked=*d == Decision::Approve />
                            <span>{move || (t().portal.decision_label)(*d)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                {grant.map(|g| view! { <GrantFields g error /> })}
                <TextArea label=Signal::derive(feedback) name="feedback" rows=5
                    hint=Signal::derive(hint) error=field_error(error, "feedback") />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().portal.record_decision) pending=decide.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

/// What the certificate will say if the decision is to approve.
#[component]
fn GrantFields(g: CertificationReview, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().certify;
    let label = move |f: fn(&crate::i18n::certify::CertifyTexts) -> &'static str| Signal::derive(move || f(t()));
    let field = move |name: &'static str| field_error(error, name);
    let requested = g.application.requested_level;
    let level_error = field("level");
    view! {
        <fieldset class="fieldset">
            <legend>{move || t().grant_title}</legend>
            <p class="muted">{move || t().grant_hint}</p>
            {move || field("results").get().map(|code| view! { <p class="field__error" role="alert">{(i18n.t().error)(code)}</p> })}
            <div class="field" class:field--error=move || level_error.get().is_some()>
                <label for="field-level">{move || t().level}</label>
                <select id="field-level" name="level">
                    {CertificationLevel::ALL.iter().map(|l| {
                        let l = *l;
                        view! { <option value=l.as_str() selected=l == requested>{move || (i18n.t().shop.level)(l)}</option> }
                    }).collect_view()}
                </select>
                {move || level_error.get().map(|code| view! { <p class="field__error">{(i18n.t().error)(code)}</p> })}
            </div>
            <div class="field-row">
                <TextField label=label(|c| c.body) name="body" value="OpenAero Test Lab".to_owned() maxlength=120 error=field("body") />
                <TextField label=label(|c| c.granted_on) name="granted_on" input_type="date" value=g.defaults.today.to_string() error=field("granted_on") />
                <TextField label=label(|c| c.expires_on) name="expires_on" input_type="date" value=g.defaults.expires.to_string() error=field("expires_on") />
            </div>
        </fieldset>
    }
}

#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|e| {
                let what = e.decision;
                let actor = e.actor.clone();
                view! {
                    <li class="timeline__entry">
                        <time datetime=machine_time(&e.at)>{short_time(&e.at)}</time>
                        <span>{move || (t().portal.history_entry)(what, &actor)}</span>
                        {(!e.feedback.is_empty()).then(|| view! { <p class="pre-wrap">{e.feedback.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
