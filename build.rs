// Migrations are embedded at compile time by refinery; make cargo rebuild when any file in
// migrations/ (or a template) changes, so a new migration is never silently left out.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
