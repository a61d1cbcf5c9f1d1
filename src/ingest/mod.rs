//! Getting data in: leads from websites and OEMs (JSON, ADF/XML), and (later) the DMS's
//! service appointments and repair orders. Parsers are pure; intake validates and stores.

pub mod dms;
pub mod dms_import;
pub mod lead_intake;
pub mod leads;
pub mod uploaded;
