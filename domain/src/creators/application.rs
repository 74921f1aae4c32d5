//! Applying to sell: the form, its checks, and submitting it for verification. The
//! application is kept on the user's creator row (created at the first submission)
//! and resubmitted in place after a rejection.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    Email, ErrorCode, FieldError, UserId,
    catalog::{CreatorKind, CreatorStatus},
    creators::ApplicationForm,
    creators::{Address, Application, mask_tax_id},
    files::FileKind,
    ids::{CreatorId, FileId},
    review::ReviewKind,
};

use super::tax_id;
use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType, NewEvent},
    fields, files,
    review::queue,
    slugs::{first_free, slug_base},
};

/// Verification documents per application.
pub const MAX_DOCUMENTS: usize = 5;
/// Documents are pictures or PDFs.
pub const DOCUMENT_KINDS: [FileKind; 2] = [FileKind::Image, FileKind::Document];

/// An application that passed every field check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidApplication {
    pub business_name: String,
    pub kind: CreatorKind,
    pub tax_id: String,
    pub address: Address,
    pub contact_email: Email,
    pub contact_phone: String,
    pub documents: Vec<FileId>,
}

/// Checks every field and reports all problems at once, each on its field.
pub fn validate(input: &ApplicationForm) -> Result<ValidApplication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let business_name = fields::text("business_name", &input.business_name, true, 120, &mut errors);
    let kind = CreatorKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", ErrorCode::Required));
    }
    let tax_id = tax_id::normalise(&input.tax_id).unwrap_or_else(|code| {
        errors.push(FieldError::new("tax_id", code));
        String::new()
    });
    let a = &input.address;
    let address = Address {
        line1: fields::text("line1", &a.line1, true, 200, &mut errors),
        line2: fields::text("line2", &a.line2, false, 200, &mut errors),
        city: fields::text("city", &a.city, true, 100, &mut errors),
        region: fields::text("region", &a.region, false, 100, &mut errors),
        postal_code: fields::text("postal_code", &a.postal_code, false, 20, &mut errors),
        country: fields::country("country", &a.country, &mut errors),
    };
    let contact_email =
        Email::parse(&input.contact_email).map_err(|code| errors.push(FieldError::new("contact_email", code)));
    let contact_phone = fields::phone("contact_phone", &input.contact_phone, &mut errors);
    let documents = files::attach::parse_ids(&input.documents, "documents", MAX_DOCUMENTS, &mut errors);
    if documents.is_empty() && !errors.iter().any(|e| e.field == "documents") {
        errors.push(FieldError::new("documents", ErrorCode::Required));
    }
    match (errors.is_empty(), kind, contact_email) {
        (true, Some(kind), Ok(contact_email)) => {
            Ok(ValidApplication { business_name, kind, tax_id, address, contact_email, contact_phone, documents })
        }
        _ => Err(errors),
    }
}

/// Submits (or resubmits) `user`'s application for verification: the creator row is
/// written with the tax id sealed, the documents attached, a review item opened and
/// the events published, all in one transaction.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn submit(
    services: &Services,
    user: UserId,
    input: &ApplicationForm,
    meta: &RequestMeta,
) -> Result<CreatorId> {
    let valid = validate(input).map_err(Error::Validation)?;
    let mut tx = services.pool.begin().await?;
    let existing = sqlx::query!("select id, status from creators where user_id = $1 for update", user.0)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = &existing
        && !CreatorStatus::parse(&row.status).is_some_and(CreatorStatus::may_submit)
    {
        return Err(Error::Conflict(ErrorCode::AlreadyInReview));
    }
    if let Some(e) = files::attach::check_owned(&mut tx, user, &valid.documents, &DOCUMENT_KINDS, "documents").await? {
        return Err(Error::Validation(vec![e]));
    }

    let id = existing.as_ref().map_or_else(CreatorId::new, |r| CreatorId(r.id));
    let sealed = services.data_keys.seal(&valid.tax_id, &tax_id::context(id))?;
    let a = &valid.address;
    if existing.is_none() {
        let slug = free_slug(&mut tx, &valid.business_name, id).await?;
        sqlx::query!(
            "insert into creators (id, user_id, slug, display_name, kind, status) values ($1, $2, $3, $4, $5, 'unverified')",
            id.0,
            user.0,
            slug,
            valid.business_name,
            valid.kind.as_str(),
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "update creators set display_name = $2, kind = $3, status = 'pending', rejection_reason = null,
             tax_id_ciphertext = $4, tax_id_key_id = $5, tax_id_last4 = $6,
             address_line1 = $7, address_line2 = $8, city = $9, region = $10, postal_code = $11, country = $12,
             contact_email = $13, contact_phone = $14, submitted_at = now(), updated_at = now()
         where id = $1",
        id.0,
        valid.business_name,
        valid.kind.as_str(),
        sealed.bytes,
        sealed.key_id,
        tax_id::last4(&valid.tax_id),
        a.line1,
        a.line2,
        a.city,
        a.region,
        a.postal_code,
        a.country,
        valid.contact_email.as_str(),
        valid.contact_phone,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from creator_documents where creator_id = $1", id.0).execute(&mut *tx).await?;
    for (position, file) in valid.documents.iter().enumerate() {
        sqlx::query!(
            "insert into creator_documents (creator_id, file_id, position) values ($1, $2, $3)",
            id.0,
            file.0,
            position as i32
        )
        .execute(&mut *tx)
        .await?;
    }

    let application = load(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let item =
        queue::open(&mut tx, ReviewKind::CreatorVerification, id.0, id, &valid.business_name, &snapshot(&application))
            .await?;
    let metadata = EventMetadata::from_request(meta);
    if existing.is_none() {
        events::publish(
            &mut tx,
            creator_event(EventType::CreatorRegistered, id, json!({ "user_id": user })),
            &metadata,
        )
        .await?;
    }
    events::publish(
        &mut tx,
        queue::submission_event(EventType::CreatorSubmissionCreated, id, item, ReviewKind::CreatorVerification),
        &metadata,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A public address for the creator from the business name, unique among creators.
async fn free_slug(conn: &mut PgConnection, name: &str, id: CreatorId) -> Result<String> {
    let base = slug_base(name, "creator", id.0);
    let taken = sqlx::query_scalar!("select slug from creators where slug = $1 or slug like $1 || '-%'", base)
        .fetch_all(&mut *conn)
        .await?;
    Ok(first_free(base, &taken))
}

pub fn creator_event(event_type: EventType, id: CreatorId, data: serde_json::Value) -> NewEvent {
    NewEvent { event_type, aggregate_type: "creator", aggregate_id: id.to_string(), aggregate_version: 1, data }
}

/// The application on a creator row, tax id masked, documents listed.
pub async fn load(conn: &mut PgConnection, id: CreatorId) -> Result<Option<Application>> {
    let Some(row) = sqlx::query!(
        r#"select status, display_name, kind, slug, tax_id_last4, address_line1, address_line2, city, region,
                  postal_code, country, contact_email, contact_phone, rejection_reason,
                  submitted_at as "submitted_at: DateTime<Utc>", verified_at as "verified_at: DateTime<Utc>"
           from creators where id = $1"#,
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let document_ids =
        sqlx::query_scalar!("select file_id from creator_documents where creator_id = $1 order by position", id.0)
            .fetch_all(&mut *conn)
            .await?;
    let document_ids: Vec<FileId> = document_ids.into_iter().map(FileId).collect();
    let documents = files::records_in(&mut *conn, &document_ids).await?.into_iter().map(|r| r.info).collect();
    Ok(Some(Application {
        status: CreatorStatus::parse(&row.status).unwrap_or(CreatorStatus::Unverified),
        business_name: row.display_name,
        kind: CreatorKind::parse(&row.kind).unwrap_or(CreatorKind::Individual),
        tax_id_masked: row.tax_id_last4.as_deref().map(mask_tax_id).unwrap_or_default(),
        address: Address {
            line1: row.address_line1,
            line2: row.address_line2,
            city: row.city,
            region: row.region,
            postal_code: row.postal_code,
            country: row.country,
        },
        contact_email: row.contact_email,
        contact_phone: row.contact_phone,
        documents,
        rejection_reason: row.rejection_reason,
        submitted_at: row.submitted_at,
        verified_at: row.verified_at,
        slug: row.slug,
    }))
}

/// The user's application, if they ever submitted one.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn mine(services: &Services, user: UserId) -> Result<Option<Application>> {
    let mut conn = services.pool.acquire().await?;
    let id =
        sqlx::query_scalar!("select id from creators where user_id = $1", user.0).fetch_optional(&mut *conn).await?;
    match id {
        Some(id) => load(&mut conn, CreatorId(id)).await,
        None => Ok(None),
    }
}

/// What the reviewer compares between submissions. The tax id appears masked: a
/// change of id shows as a change of its last characters.
pub fn snapshot(a: &Application) -> Vec<(String, String)> {
    let documents: Vec<String> = a.documents.iter().map(|d| format!("{} ({})", d.name, &d.sha256[..12])).collect();
    [
        ("business_name", a.business_name.clone()),
        ("kind", a.kind.as_str().to_owned()),
        ("tax_id", a.tax_id_masked.clone()),
        ("address", a.address.one_line()),
        ("contact_email", a.contact_email.clone()),
        ("contact_phone", a.contact_phone.clone()),
        ("documents", documents.join("\n")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ApplicationForm {
        ApplicationForm {
            business_name: "Kestrel Works".into(),
            kind: "company".into(),
            tax_id: "DE 123 456 789".into(),
            address: Address {
                line1: "Hafenstraße 1".into(),
                city: "Hamburg".into(),
                postal_code: "20457".into(),
                country: "de".into(),
                ..Address::default()
            },
            contact_email: "Sales@Kestrel.example".into(),
            contact_phone: "+49 40 1234567".into(),
            documents: vec![FileId::new().to_string()],
        }
    }

    #[test]
    fn a_complete_application_passes_normalised() {
        let valid = validate(&input()).expect("valid");
        assert_eq!(valid.tax_id, "DE123456789");
        assert_eq!(valid.address.country, "DE");
        assert_eq!(valid.contact_email.as_str(), "sales@kestrel.example");
    }

    #[test]
    fn every_bad_field_is_reported_on_its_field() {
        let bad = ApplicationForm {
            business_name: " ".into(),
            kind: "pirate".into(),
            tax_id: "12".into(),
            address: Address { country: "Germany".into(), ..Address::default() },
            contact_email: "nope".into(),
            contact_phone: "call me".into(),
            documents: vec![],
        };
        let errors = validate(&bad).expect_err("invalid");
        let fields: Vec<(&str, ErrorCode)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("business_name", ErrorCode::Required),
                ("kind", ErrorCode::Required),
                ("tax_id", ErrorCode::TaxIdInvalid),
                ("line1", ErrorCode::Required),
                ("city", ErrorCode::Required),
                ("country", ErrorCode::CountryInvalid),
                ("contact_email", ErrorCode::EmailInvalid),
                ("contact_phone", ErrorCode::PhoneInvalid),
                ("documents", ErrorCode::Required),
            ]
        );
    }
}
