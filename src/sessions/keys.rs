//! One RS256 signing key: an RSA key pair (aws-lc), its `kid`, the self-signed
//! certificate published in `x5c`, and its public JWK.
//!
//! Only the PKCS#8 DER, the `kid` and the creation time need storing: the
//! certificate is rebuilt from them, byte for byte (PKCS#1 v1.5 signatures are
//! deterministic), so a restart publishes the same JWK.

use super::encoding::{b64url, new_id};
use super::error::KeyError;
use super::model::Jwk;
use crate::engine::clock::MAX_UNIX_TIME;
use crate::engine::ids::Environment;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, ParsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use rcgen::{
    CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, KeyUsagePurpose,
    PublicKeyData, SerialNumber,
};
use std::fmt;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// The organisation named as subject and issuer of the `x5c` certificates.
/// (Stytch's say `O=Stytch`; no SDK reads it, so it names this library.)
pub const CERTIFICATE_ORGANIZATION: &str = "stytch-totp";

#[cfg(test)]
thread_local! {
    /// How many keys this thread generated: tests check where that happens.
    pub static GENERATED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// An RS256 signing key. Its private half lives in aws-lc memory, which is
/// cleansed when freed; `Debug` shows only the `kid`.
pub struct SigningKey {
    kid: String,
    created_at: i64,
    key_pair: KeyPair,
    public_key: ParsedPublicKey,
    jwk: Jwk,
}

impl SigningKey {
    /// A fresh RSA-2048 key (Stytch's size) with a new `jwk-<env>-<uuid>` id, created at `now`.
    pub fn generate(env: Environment, now: i64) -> Result<Self, KeyError> {
        #[cfg(test)]
        GENERATED.with(|n| n.set(n.get() + 1));
        let key_pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError::Generation)?;
        Self::assemble(new_id("jwk", env), now, key_pair)
    }

    /// A key kept by the store (or supplied by the host) as PKCS#8 DER. aws-lc
    /// accepts RSA keys of 2048 to 8192 bits.
    pub fn from_pkcs8_der(kid: &str, created_at: i64, der: &[u8]) -> Result<Self, KeyError> {
        if kid.is_empty() {
            return Err(KeyError::InvalidKid);
        }
        let key_pair = KeyPair::from_pkcs8(der).map_err(|_| KeyError::InvalidPrivateKey)?;
        Self::assemble(kid.to_owned(), created_at, key_pair)
    }

    fn assemble(kid: String, created_at: i64, key_pair: KeyPair) -> Result<Self, KeyError> {
        if !(0..=MAX_UNIX_TIME).contains(&created_at) {
            return Err(KeyError::InvalidCreationTime);
        }
        let public = key_pair.public_key();
        let public_key =
            ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public.as_ref())
                .map_err(|_| KeyError::InvalidPrivateKey)?;
        let certificate = self_signed_certificate(&key_pair, created_at)?;
        let fingerprint = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &certificate);
        let jwk = Jwk {
            kty: "RSA".into(),
            use_: "sig".into(),
            key_ops: vec!["verify".into()],
            alg: "RS256".into(),
            kid: kid.clone(),
            x5c: vec![STANDARD.encode(&certificate)],
            // Stytch pads this one base64url value; kept for parity.
            x5t_s256: URL_SAFE.encode(fingerprint.as_ref()),
            n: b64url(public.modulus().big_endian_without_leading_zero()),
            e: b64url(public.exponent().big_endian_without_leading_zero()),
        };
        Ok(Self {
            kid,
            created_at,
            key_pair,
            public_key,
            jwk,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Unix time the key was created (its certificate's `notBefore`).
    pub fn created_at(&self) -> i64 {
        self.created_at
    }

    /// The public key as published in the JWKS.
    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// The private key as PKCS#8 v1 DER, for the store to seal. Wiped on drop.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let der = self
            .key_pair
            .as_der()
            .map_err(|_| KeyError::InvalidPrivateKey)?;
        // aws-lc's buffer wipes itself on drop; the copy is wiped by Zeroizing.
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        rs256(&self.key_pair, message).ok_or(KeyError::Signing)
    }

    /// Whether `signature` is this key's RS256 signature of `message`.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        self.public_key.verify_sig(message, signature).is_ok()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// The `x5c` certificate, shaped as Stytch's: X.509 v3, serial 1, subject =
/// issuer = `O=<organisation>`, valid ten years from the key's creation,
/// sha256WithRSAEncryption, KeyUsage digitalSignature and BasicConstraints
/// CA:FALSE, both critical, and no other extension.
fn self_signed_certificate(key_pair: &KeyPair, created_at: i64) -> Result<Vec<u8>, KeyError> {
    let not_before =
        OffsetDateTime::from_unix_timestamp(created_at).map_err(|_| KeyError::Certificate)?;
    let mut params = CertificateParams::default();
    params.serial_number = Some(SerialNumber::from(1u64));
    params.not_before = not_before;
    params.not_after = ten_years_after(not_before);
    let mut name = DistinguishedName::new();
    let organization = CERTIFICATE_ORGANIZATION
        .try_into()
        .map_err(|_| KeyError::Certificate)?;
    name.push(
        DnType::OrganizationName,
        DnValue::PrintableString(organization),
    );
    params.distinguished_name = name;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    // rcgen's own CA:FALSE also writes a SubjectKeyIdentifier; Stytch's has
    // only the empty BasicConstraints sequence, critical.
    let mut basic_constraints =
        CustomExtension::from_oid_content(&[2, 5, 29, 19], vec![0x30, 0x00]);
    basic_constraints.set_criticality(true);
    params.custom_extensions = vec![basic_constraints];

    let signer = CertificateSigner {
        key_pair,
        public_der: key_pair.public_key().as_ref(),
    };
    let certificate = params
        .self_signed(&signer)
        .map_err(|_| KeyError::Certificate)?;
    Ok(certificate.der().to_vec())
}

/// Lets rcgen sign the certificate with the aws-lc key, which never leaves it.
struct CertificateSigner<'a> {
    key_pair: &'a KeyPair,
    public_der: &'a [u8],
}

impl PublicKeyData for CertificateSigner<'_> {
    /// PKCS#1 `RSAPublicKey`, the subjectPublicKey of an rsaEncryption SPKI.
    fn der_bytes(&self) -> &[u8] {
        self.public_der
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

impl rcgen::SigningKey for CertificateSigner<'_> {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        rs256(self.key_pair, message).ok_or(rcgen::Error::RemoteKeyError)
    }
}

fn rs256(key_pair: &KeyPair, message: &[u8]) -> Option<Vec<u8>> {
    let mut signature = vec![0; key_pair.public_modulus_len()];
    // aws-lc ignores the RNG argument for PKCS#1 v1.5 (it blinds internally).
    key_pair
        .sign(
            &signature::RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            message,
            &mut signature,
        )
        .ok()?;
    Some(signature)
}

/// The same date ten years on (29 February becomes 1 March, as Go's
/// `AddDate` makes it), but never past the end of year 9999.
fn ten_years_after(t: OffsetDateTime) -> OffsetDateTime {
    let year = t.year() + 10;
    t.replace_year(year)
        .or_else(|_| (t + time::Duration::days(1)).replace_year(year))
        .or_else(|_| OffsetDateTime::from_unix_timestamp(MAX_UNIX_TIME))
        .unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::encoding::b64url_decode;
    use crate::sessions::test_keys::{T0, key};
    use aws_lc_rs::signature::UnparsedPublicKey;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    /// A real Stytch JWK (see tests/data/README.md).
    fn stytch_jwk() -> Jwk {
        serde_json::from_str(include_str!("../../tests/data/stytch_jwk.json")).unwrap()
    }

    /// The DER items in `bytes`: (whole item, its contents). Short and
    /// one- or two-byte long lengths, enough for certificates.
    fn der_items(mut bytes: &[u8]) -> Vec<(&[u8], &[u8])> {
        let mut items = Vec::new();
        while !bytes.is_empty() {
            let (len, header) = match bytes[1] {
                n @ 0..=0x7f => (usize::from(n), 2),
                0x81 => (usize::from(bytes[2]), 3),
                0x82 => (usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), 4),
                other => panic!("unexpected DER length byte {other:#x}"),
            };
            items.push((&bytes[..header + len], &bytes[header..header + len]));
            bytes = &bytes[header + len..];
        }
        items
    }

    struct Certificate<'a> {
        tbs: &'a [u8],
        tbs_items: Vec<(&'a [u8], &'a [u8])>,
        signature_algorithm: &'a [u8],
        signature: &'a [u8],
    }

    fn parse_certificate(der: &[u8]) -> Certificate<'_> {
        let certificate = der_items(der);
        assert_eq!(certificate.len(), 1);
        let parts = der_items(certificate[0].1);
        assert_eq!(
            parts.len(),
            3,
            "tbsCertificate, signatureAlgorithm, signature"
        );
        Certificate {
            tbs: parts[0].0,
            tbs_items: der_items(parts[0].1),
            signature_algorithm: parts[1].0,
            signature: &parts[2].1[1..], // BIT STRING: skip the unused-bits byte
        }
    }

    /// The PKCS#1 RSAPublicKey inside a certificate's SubjectPublicKeyInfo.
    fn rsa_public_key<'a>(certificate: &Certificate<'a>) -> &'a [u8] {
        let spki = der_items(certificate.tbs_items[6].1);
        &spki[1].1[1..]
    }

    /// base64url of the modulus in a PKCS#1 RSAPublicKey.
    fn modulus_b64(rsa_public_key: &[u8]) -> String {
        let fields = der_items(der_items(rsa_public_key)[0].1);
        let n = fields[0].1;
        URL_SAFE_NO_PAD.encode(n.strip_prefix(&[0]).unwrap_or(n))
    }

    fn certificate_der(jwk: &Jwk) -> Vec<u8> {
        assert_eq!(jwk.x5c.len(), 1);
        STANDARD.decode(&jwk.x5c[0]).unwrap()
    }

    #[test]
    fn a_generated_key_is_published_with_every_member_stytch_requires() {
        let key = SigningKey::generate(Environment::Test, T0).unwrap();
        let uuid = key.kid().strip_prefix("jwk-test-").unwrap();
        assert_eq!(uuid::Uuid::parse_str(uuid).unwrap().get_version_num(), 4);
        assert_eq!(key.created_at(), T0);
        let jwk = key.jwk();
        assert_eq!(
            (
                jwk.kty.as_str(),
                jwk.use_.as_str(),
                jwk.alg.as_str(),
                jwk.e.as_str()
            ),
            ("RSA", "sig", "RS256", "AQAB")
        );
        assert_eq!(jwk.key_ops, ["verify"]);
        assert_eq!(jwk.kid, key.kid());
        let n = b64url_decode(&jwk.n).unwrap();
        assert_eq!(n.len(), 256, "RSA-2048");
        assert!(n[0] >= 0x80, "no leading zero byte");
        let json = serde_json::to_value(jwk).unwrap();
        let mut members: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        members.sort_unstable();
        assert_eq!(
            members,
            [
                "alg", "e", "key_ops", "kid", "kty", "n", "use", "x5c", "x5tS256"
            ]
        );
        assert_eq!(
            SigningKey::generate(Environment::Live, T0).unwrap().kid()[..9],
            *"jwk-live-"
        );
    }

    /// Stytch's x5tS256 is base64url of SHA-256(DER) with `=` padding; the same
    /// formula reproduces the value of a real Stytch key and gives ours.
    #[test]
    fn x5t_s256_is_the_padded_base64url_sha256_of_the_certificate() {
        use sha2::Digest as _;
        let fingerprint = |jwk: &Jwk| URL_SAFE.encode(sha2::Sha256::digest(certificate_der(jwk)));
        let stytch = stytch_jwk();
        assert_eq!(fingerprint(&stytch), stytch.x5t_s256);
        let ours = key(0, T0);
        assert_eq!(fingerprint(ours.jwk()), ours.jwk().x5t_s256);
        assert!(ours.jwk().x5t_s256.ends_with('='));
        assert_eq!(ours.jwk().x5t_s256.len(), 44);
    }

    /// Compared item by item with a certificate Stytch published.
    #[test]
    fn the_certificate_is_shaped_as_stytchs_and_self_signed() {
        let stytch_der = certificate_der(&stytch_jwk());
        let stytch = parse_certificate(&stytch_der);
        let key = key(1, T0);
        let ours_der = certificate_der(key.jwk());
        let ours = parse_certificate(&ours_der);

        assert_eq!(stytch.tbs_items.len(), 8);
        assert_eq!(ours.tbs_items.len(), 8);
        for (item, what) in [
            (0, "version v3"),
            (1, "serial 1"),
            (2, "sha256WithRSAEncryption"),
        ] {
            assert_eq!(ours.tbs_items[item].0, stytch.tbs_items[item].0, "{what}");
        }
        assert_eq!(ours.tbs_items[1].0, [0x02, 0x01, 0x01]);
        assert_eq!(ours.signature_algorithm, stytch.signature_algorithm);
        // KeyUsage digitalSignature and BasicConstraints CA:FALSE, both
        // critical, and nothing else: the same bytes as Stytch's.
        assert_eq!(ours.tbs_items[7].0, stytch.tbs_items[7].0);
        // Subject = issuer = O=<organisation>, as a PrintableString.
        for name in [ours.tbs_items[3].0, ours.tbs_items[5].0] {
            let mut expected = vec![
                0x30, 0x16, 0x31, 0x14, 0x30, 0x12, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x0b,
            ];
            expected.extend_from_slice(CERTIFICATE_ORGANIZATION.as_bytes());
            assert_eq!(name, expected);
        }
        assert_eq!(stytch.tbs_items[3].0, stytch.tbs_items[5].0);
        // Ten years from the key's creation: 2026-01-01T00:00:00Z.
        let validity: Vec<&[u8]> = der_items(ours.tbs_items[4].1).iter().map(|i| i.1).collect();
        assert_eq!(
            validity,
            [b"260101000000Z".as_slice(), b"360101000000Z".as_slice()]
        );
        let stytch_validity: Vec<&[u8]> = der_items(stytch.tbs_items[4].1)
            .iter()
            .map(|i| i.1)
            .collect();
        assert_eq!(stytch_validity[0][2..], stytch_validity[1][2..]);
        // The certificate holds the published key and is signed by it.
        for (certificate, jwk) in [(&ours, key.jwk()), (&stytch, &stytch_jwk())] {
            let public_key = rsa_public_key(certificate);
            assert_eq!(modulus_b64(public_key), jwk.n);
            UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public_key)
                .verify(certificate.tbs, certificate.signature)
                .unwrap();
        }
    }

    #[test]
    fn a_key_reloaded_from_pkcs8_is_the_same_key_with_the_same_certificate() {
        let original = SigningKey::generate(Environment::Test, T0 + 12_345).unwrap();
        let der = original.to_pkcs8_der().unwrap();
        let reloaded =
            SigningKey::from_pkcs8_der(original.kid(), original.created_at(), &der).unwrap();
        assert_eq!(reloaded.jwk(), original.jwk());
        let message = b"header.payload";
        let signature = reloaded.sign(message).unwrap();
        assert_eq!(signature.len(), 256);
        assert!(original.verifies(message, &signature));
        assert!(!original.verifies(b"header.payload2", &signature));
        // Another creation time is another certificate for the same key.
        let later = SigningKey::from_pkcs8_der(original.kid(), T0, &der).unwrap();
        assert_eq!(later.jwk().n, original.jwk().n);
        assert_ne!(later.jwk().x5c, original.jwk().x5c);
    }

    #[test]
    fn keys_that_are_not_rsa_2048_or_larger_are_refused() {
        let ec = aws_lc_rs::signature::EcdsaKeyPair::generate_pkcs8(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            &aws_lc_rs::rand::SystemRandom::new(),
        )
        .unwrap();
        // A throwaway 1024-bit RSA key (openssl genpkey), too small for RS256.
        let rsa_1024 = STANDARD.decode("MIICXQIBAAKBgQDNZ/5uTUXj7C7Z3XrkjLplU+7pVjXpQVjVofOdLUIwsb4lOiQL5gOHb+dFMT4ojrI6jWgUSVQelHEdJExVFOkhVnNeibytpMRpGpldGuc4tTfXQPAfYr4uZmNcMvh3RGKWn+bKoYcjsPehM7r42uO3EeR4aJZBwYN3piPCJ4d6gwIDAQABAoGAMKVdY4AXekg4PE6wySnvBwpevZI2SFy6jjXBvUq3r1KZBrYDTXIXCd9dtUxZPT+2RBmzOYK4UlmzhERRc6D1KQxjPg7ETQW/QSsWZ3w4z0oTGXiOuD4hBcJ7ajRUY50uSretiyfEYMLHRikeoj4S3OKDiJBWeYCd7jMUQgqDCtECQQDtSTjL2qIKYS4GlWbZYALNsNTHbs1UhvD4zoFUHMsk2XF3QA2OFrlqgQuFxh9+Q+BTCDamNxz+aGKLcLC1/rnJAkEA3ZsfW8WlgXo5eP9ZyR5iVy8SgyJm8GxzYyvHOwxtzN7U/9/XwfvpLQNC25TmFVYlM0Q/t1Ywq0xRxK1G3uL36wJBAInmPtrCAd/0YDI1S2NTF+4AMXiBnVTdY1fFc4W1gh21POrnz7je3fzWaCLjZFQWEF1Q7amlZ/U2JucQo7HxCnkCQQCsGH6W13v7fD7Lz4obnQQD7uNygTHt/lrxphrXqYRPuLEzcNNuq0JfGYw/WHgCE99Z2+ObbkzniqJpmaNTDnI3AkBwMKUIi9lWYa+1UHLXyMgLVYSMauX2mWNEXhSk1NV7gdc8i/Nafp/WLlua4awphffz10SugxTfOnfAbiEh08VA").unwrap();
        for der in [&b""[..], b"not a key", ec.as_ref(), &rsa_1024] {
            assert_eq!(
                SigningKey::from_pkcs8_der("jwk-test-x", T0, der).unwrap_err(),
                KeyError::InvalidPrivateKey
            );
        }
        let good = key(0, T0).to_pkcs8_der().unwrap();
        assert_eq!(
            SigningKey::from_pkcs8_der("", T0, &good).unwrap_err(),
            KeyError::InvalidKid
        );
        for t in [-1, MAX_UNIX_TIME + 1] {
            assert_eq!(
                SigningKey::from_pkcs8_der("jwk-test-x", t, &good).unwrap_err(),
                KeyError::InvalidCreationTime
            );
        }
    }

    #[test]
    fn debug_shows_the_kid_and_no_key_material() {
        let key = key(0, T0);
        let debug = format!("{key:?}");
        assert!(debug.contains(key.kid()));
        let der = key.to_pkcs8_der().unwrap();
        for secret_part in [STANDARD.encode(&der[..]), key.jwk().n.clone()] {
            assert!(!debug.contains(&secret_part[..32]));
        }
    }

    #[test]
    fn certificates_last_ten_years_as_go_counts_them() {
        let at = |t: i64| OffsetDateTime::from_unix_timestamp(t).unwrap();
        // 2024-02-29T12:00:00Z -> 2034-03-01T12:00:00Z.
        assert_eq!(ten_years_after(at(1_709_208_000)), at(2_024_827_200));
        // 2026-01-01 -> 2036-01-01.
        assert_eq!(ten_years_after(at(T0)), at(2_082_758_400));
        // Never past 9999-12-31T23:59:59Z.
        assert_eq!(
            ten_years_after(at(MAX_UNIX_TIME - 86_400)),
            at(MAX_UNIX_TIME)
        );
    }
}
