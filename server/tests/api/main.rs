//! Integration tests: the real server and real PostgreSQL, a fresh database per test.

mod auth;
mod cart;
mod catalog;
mod certification;
mod creators;
mod files;
mod helpers;
mod outbox;
mod pages;
mod portfolio;
mod products;
mod profile;
mod roles;
mod smtp;
