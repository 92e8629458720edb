//! Wiping buffers that may hold secrets, a machine word at a time (the
//! `zeroize` crate writes a slice of bytes one byte at a time).

use zeroize::Zeroize;

/// Overwrites `bytes` with zeros, in writes the compiler may not elide.
pub fn wipe(bytes: &mut [u8]) {
    // SAFETY: every bit pattern is a valid u64; align_to_mut only gives the
    // aligned middle of the slice another element type.
    let (head, words, tail) = unsafe { bytes.align_to_mut::<u64>() };
    head.zeroize();
    words.zeroize();
    tail.zeroize();
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_byte_is_wiped_whatever_the_alignment() {
        let mut buffer = [0xa5u8; 67];
        for start in 0..8 {
            buffer.fill(0xa5);
            super::wipe(&mut buffer[start..start + 50]);
            assert!(buffer[start..start + 50].iter().all(|&b| b == 0));
            assert!(buffer[..start].iter().all(|&b| b == 0xa5));
            assert!(buffer[start + 50..].iter().all(|&b| b == 0xa5));
        }
    }
}
