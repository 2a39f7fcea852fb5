//! Byte-level reading and writing: big-endian integers, fixed arrays and
//! length-prefixed byte strings, every length checked before allocation.

use crate::error::DecodeError;

/// A cursor over untrusted bytes. Every read checks bounds first.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.buf.len() < n {
            return Err(DecodeError::Truncated {
                needed: n - self.buf.len(),
            });
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    pub(crate) fn bool(&mut self, field: &'static str) -> Result<bool, DecodeError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(DecodeError::InvalidValue(field)),
        }
    }

    /// A byte string with a u32 length prefix, at most `max` bytes long.
    pub(crate) fn bytes(
        &mut self,
        field: &'static str,
        max: usize,
    ) -> Result<Vec<u8>, DecodeError> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(DecodeError::TooLong {
                field,
                len: len as u64,
                max: max as u64,
            });
        }
        Ok(self.take(len)?.to_vec())
    }

    /// A byte string with a u16 length prefix, at most `max` bytes long,
    /// borrowed from the input (nothing is allocated).
    pub(crate) fn short_bytes(
        &mut self,
        field: &'static str,
        max: usize,
    ) -> Result<&'a [u8], DecodeError> {
        let len = self.u16()? as usize;
        if len > max {
            return Err(DecodeError::TooLong {
                field,
                len: len as u64,
                max: max as u64,
            });
        }
        self.take(len)
    }

    /// A u16 element count, at most `max`, also bounded by the bytes left
    /// (each element takes at least `min_elem_len` bytes).
    pub(crate) fn count(
        &mut self,
        field: &'static str,
        max: usize,
        min_elem_len: usize,
    ) -> Result<usize, DecodeError> {
        let n = self.u16()? as usize;
        if n > max {
            return Err(DecodeError::TooLong {
                field,
                len: n as u64,
                max: max as u64,
            });
        }
        let need = n.saturating_mul(min_elem_len);
        if need > self.buf.len() {
            return Err(DecodeError::Truncated {
                needed: need - self.buf.len(),
            });
        }
        Ok(n)
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes(self.buf.len()))
        }
    }
}

/// An append-only output buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(n),
        }
    }
    pub(crate) fn put(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub(crate) fn u16(&mut self, v: u16) {
        self.put(&v.to_be_bytes());
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.put(&v.to_be_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.put(&v.to_be_bytes());
    }
    pub(crate) fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }
    /// Callers guarantee `b.len()` fits the field's limit (enforced by the
    /// typed constructors), so the u32 prefix cannot overflow.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.put(b);
    }
    /// A byte string with a u16 length prefix. Callers guarantee
    /// `b.len() <= u16::MAX` (checked against the field's limit first).
    pub(crate) fn short_bytes(&mut self, b: &[u8]) {
        self.u16(b.len() as u16);
        self.put(b);
    }
    pub(crate) fn count(&mut self, n: usize) {
        self.u16(n as u16);
    }
}
