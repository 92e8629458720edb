//! HMAC-SHA-1 (RFC 2104) of an 8-byte counter, the one message HOTP signs.
//!
//! The key's inner and outer states are computed once; each counter then
//! costs exactly two SHA-1 compressions (the `sha1` crate's, hardware
//! accelerated where the CPU has it) on blocks whose padding is fixed,
//! instead of the general HMAC's buffering, cloning and finalizing. Checked
//! against the `hmac` crate for every key length up to two blocks.

use sha1::block_api::compress;
use sha1::{Digest, Sha1};
use zeroize::{Zeroize, Zeroizing};

const BLOCK: usize = 64;
const DIGEST: usize = 20;
/// SHA-1's initial state (FIPS 180-4 5.3.1).
const INITIAL: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

/// The states after the key's inner and outer blocks. Derived from the key,
/// so wiped on drop.
pub struct HotpMac {
    inner: [u32; 5],
    outer: [u32; 5],
}

impl Drop for HotpMac {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl HotpMac {
    pub fn new(key: &[u8]) -> Self {
        // A key longer than a block is replaced by its digest (RFC 2104 2).
        let mut block = Zeroizing::new([0u8; BLOCK]);
        if key.len() > BLOCK {
            let mut digest = Sha1::digest(key);
            block[..DIGEST].copy_from_slice(&digest);
            digest.zeroize();
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let keyed = |pad: u8, block: &mut [u8; BLOCK]| {
            block.iter_mut().for_each(|b| *b ^= pad);
            let mut state = INITIAL;
            compress(&mut state, std::slice::from_ref(block));
            state
        };
        let inner = keyed(0x36, &mut block);
        // The block now holds key ^ ipad; ^ (ipad ^ opad) turns it into key ^ opad.
        let outer = keyed(0x36 ^ 0x5c, &mut block);
        Self { inner, outer }
    }

    /// HMAC-SHA-1(key, counter as 8 big-endian bytes).
    pub fn sign(&self, counter: [u8; 8]) -> Zeroizing<[u8; DIGEST]> {
        // Each message fits one block with its padding: the bytes, 0x80,
        // zeros, and the bit length of key block + message as a u64.
        let mut block = Zeroizing::new([0u8; BLOCK]);
        let mut state = Zeroizing::new(self.inner);
        padded(&mut block, &counter);
        compress(&mut state, std::slice::from_ref(&*block));
        let inner_digest = Zeroizing::new(digest_of(&state));
        state.copy_from_slice(&self.outer);
        padded(&mut block, &*inner_digest);
        compress(&mut state, std::slice::from_ref(&*block));
        Zeroizing::new(digest_of(&state))
    }
}

/// Fills `block` with `message` and SHA-1's padding, after one block of key.
fn padded(block: &mut [u8; BLOCK], message: &[u8]) {
    let len = message.len();
    block.fill(0);
    block[..len].copy_from_slice(message);
    block[len] = 0x80;
    let bits = ((BLOCK + len) as u64) * 8;
    block[BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
}

fn digest_of(state: &[u32; 5]) -> [u8; DIGEST] {
    let mut out = [0u8; DIGEST];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use rand::{Rng, RngExt};

    fn reference(key: &[u8], counter: [u8; 8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha1>::new_from_slice(key).unwrap();
        mac.update(&counter);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn equals_the_general_hmac_for_every_key_length() {
        let mut rng = rand::rng();
        for len in 0..=2 * BLOCK + 1 {
            let mut key = vec![0u8; len];
            rng.fill_bytes(&mut key);
            let counter: [u8; 8] = rng.random();
            let mac = HotpMac::new(&key);
            for counter in [counter, [0; 8], [0xff; 8]] {
                assert_eq!(
                    mac.sign(counter).to_vec(),
                    reference(&key, counter),
                    "key length {len}"
                );
            }
        }
    }

    #[test]
    fn rfc_4226_hmac_values() {
        // RFC 4226 Appendix D: HMAC-SHA-1 of the counts 0 and 1.
        let mac = HotpMac::new(b"12345678901234567890");
        let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(&*mac.sign(0u64.to_be_bytes())),
            "cc93cf18508d94934c64b65d8ba7667fb7cde4b0"
        );
        assert_eq!(
            hex(&*mac.sign(1u64.to_be_bytes())),
            "75a48a19d4cbe100644e8ac1397eea747a2d33ab"
        );
    }
}
