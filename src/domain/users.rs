//! Who may do what in the browser: a dashboard login's role, and what makes a new login valid.

crate::domain::word_enum! {
    /// A dashboard login's role.
    pub enum Role {
        /// the appliance's owner: everything a manager may
        Admin = "admin",
        /// runs the store's texting: settings, offers, experiments, users, imports
        Manager = "manager",
        /// works the inbox: replies, drafts, outcomes; sees the figures, changes no setting
        Rep = "rep",
    }
}

impl Role {
    /// May this role change settings, offers, experiments, imports and users?
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    /// In words, for the users page.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Manager => "Manager",
            Role::Rep => "Rep",
        }
    }
}

/// A new login, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
}

/// What is wrong with each bad field: `(field, message)`.
pub type FieldErrors = Vec<(&'static str, String)>;

/// A new login's fields, checked.
pub fn check_new_user(email: &str, name: &str, role: &str) -> Result<NewUser, FieldErrors> {
    let mut errors = Vec::new();
    let email = email.trim();
    let shaped = email.len() <= 254
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if !shaped {
        errors.push(("email", "must be an email address, like dana@store.example".to_string()));
    }
    let name = name.trim();
    if name.chars().count() > 80 {
        errors.push(("name", "must be at most 80 characters".to_string()));
    }
    let role = Role::parse(role.trim());
    if role.is_none() {
        errors.push(("role", format!("must be one of {}", Role::words())));
    }
    match role {
        Some(role) if errors.is_empty() => Ok(NewUser {
            email: email.to_string(),
            name: (!name.is_empty()).then(|| name.to_string()),
            role,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_new_logins() {
        assert!(Role::Manager.can_manage() && Role::Admin.can_manage() && !Role::Rep.can_manage());
        let u = check_new_user(" dana@store.example ", "Dana", "rep").unwrap();
        assert_eq!(
            (u.email.as_str(), u.name.as_deref(), u.role),
            ("dana@store.example", Some("Dana"), Role::Rep)
        );
        let errors = check_new_user("dana", "", "boss").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["email", "role"]);
    }
}
