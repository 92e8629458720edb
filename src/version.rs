//! The one version rule every binding applies when it loads the library.

/// Whether a library at version `library` can serve a program or binding built
/// for `wanted`: the same major version and a library at least as new; before
/// 1.0 (where a minor version may break), the same minor version too.
/// Versions are `MAJOR.MINOR.PATCH`, optionally with a `-pre` or `+build`
/// suffix (ignored); anything else is incompatible.
pub fn is_compatible(library: &str, wanted: &str) -> bool {
    match (parse(library), parse(wanted)) {
        (Some(have), Some(want)) => {
            have.0 == want.0 && (have.0 > 0 || have.1 == want.1) && have >= want
        }
        _ => false,
    }
}

fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

#[cfg(test)]
mod tests {
    use super::is_compatible;

    #[test]
    fn same_major_library_not_older_and_before_one_the_same_minor() {
        for (library, wanted, ok) in [
            ("0.1.0", "0.1.0", true),
            ("0.1.3", "0.1.0", true),
            ("0.1.0", "0.1.3", false),
            ("0.2.0", "0.1.0", false),
            ("0.1.0", "0.2.0", false),
            ("1.4.0", "1.2.9", true),
            ("1.2.0", "1.4.0", false),
            ("2.0.0", "1.9.0", false),
            ("1.0.0", "2.0.0", false),
            ("0.1.0-rc.1", "0.1.0", true),
            ("0.1.0", "0.1", false),
            ("0.1.0", "", false),
            ("0.1.0", "x.y.z", false),
            ("0.1.0", "0.1.0.1", false),
        ] {
            assert_eq!(is_compatible(library, wanted), ok, "{library} for {wanted}");
        }
    }
}
