pub mod home;
pub mod status;
