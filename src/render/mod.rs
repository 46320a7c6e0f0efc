//! Renderers: one module per output format. They format a [`crate::engine::Run`]; they decide nothing.

pub mod human;
pub mod json;
