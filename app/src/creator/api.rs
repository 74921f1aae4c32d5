//! Creator server functions: applying to sell. Any signed-in user may apply; the
//! rules live in `domain::creators`.
#![expect(clippy::too_many_arguments, reason = "a server function takes one argument per form field")]

use leptos::prelude::*;
use types::creators::Application;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{request_meta, require_user, services};

/// The signed-in user's application, if they have made one.
#[server(endpoint = "creator/application")]
pub async fn my_application() -> Result<Option<Application>, AppError> {
    let user = require_user()?;
    Ok(domain::creators::application::mine(&services()?, user.id).await?)
}

/// Submits or resubmits the application. `documents` holds the uploaded files' ids,
/// separated by commas. Every field may be missing: each is then reported on itself.
#[server(endpoint = "creator/apply")]
pub async fn submit_application(
    #[server(default)] business_name: String,
    #[server(default)] kind: String,
    #[server(default)] tax_id: String,
    #[server(default)] line1: String,
    #[server(default)] line2: String,
    #[server(default)] city: String,
    #[server(default)] region: String,
    #[server(default)] postal_code: String,
    #[server(default)] country: String,
    #[server(default)] contact_email: String,
    #[server(default)] contact_phone: String,
    #[server(default)] documents: String,
) -> Result<(), AppError> {
    use domain::creators::application::{ApplicationInput, submit};
    let user = require_user()?;
    let input = ApplicationInput {
        business_name,
        kind,
        tax_id,
        address: types::creators::Address { line1, line2, city, region, postal_code, country },
        contact_email,
        contact_phone,
        documents: documents.split(',').map(str::to_owned).collect(),
    };
    submit(&services()?, user.id, &input, &request_meta()).await?;
    leptos_axum::redirect("/account/selling?submitted=1");
    Ok(())
}
