"""QR codes of byte payloads for the letters, module for module what ``segno.make`` draws,
at a fraction of its time.

A dunning letter carries two QR codes (the payment link and the EPC GiroCode); segno, a pure
Python encoder, spends most of its time placing the message bit by bit into the matrix and
masking it module by module. Everything of that which depends only on the symbol (version,
error level, mask) is the same for every letter: the function patterns with the format and
version information, the order in which the data modules are filled, and the mask bits of
those modules. It is worked out once per symbol (with segno's own pattern functions) and kept;
a code then costs its Reed-Solomon blocks and one gather of the modules.

Only byte-mode payloads take this path (URLs, the EPC payload); anything segno would encode
in another mode (all digits, the alphanumeric set, Kanji) is left to segno. The tests compare
the matrices with segno's for many payloads, versions, error levels and masks.
"""

import functools
from operator import itemgetter
from typing import NamedTuple

import segno
from segno import consts
from segno import encoder as seg

ERRORS = {
    "L": consts.ERROR_LEVEL_L,
    "M": consts.ERROR_LEVEL_M,
    "Q": consts.ERROR_LEVEL_Q,
    "H": consts.ERROR_LEVEL_H,
}
# A byte → its eight bits, most significant first, one byte (0 or 1) each.
_BITS = [bytes((value >> (7 - i)) & 1 for i in range(8)) for value in range(256)]


class Symbol(NamedTuple):
    """A QR code: ``matrix`` is a tuple of rows (bytes of 0 = light, 1 = dark, no quiet
    zone); ``error`` the level's letter ("L", "M", "Q", "H")."""

    matrix: tuple
    version: int
    error: str
    mask: int


def make(payload: str | bytes, error: str = "m", mask: int | None = 0) -> Symbol:
    """The QR code (never a micro code, the error level exactly as asked) of ``payload``
    with the data mask ``mask`` (0–7; ``None``: segno chooses the best of the eight)."""
    level = error.upper()
    data = _byte_mode(payload)
    if data is None or mask is None:
        code = segno.make(payload, error=level, micro=False, boost_error=False, mask=mask)
        matrix = tuple(bytes(row) for row in code.matrix)
        return Symbol(matrix, code.version, code.error, code.mask)
    version = _version(len(data), ERRORS[level])
    layout = _layout(version, ERRORS[level], mask)
    codewords = _codewords(data, version, ERRORS[level])
    bits = b"".join([_BITS[c] for c in codewords])
    bits += bytes(layout.data_modules - len(bits))  # the remainder bits
    masked = (int.from_bytes(bits) ^ layout.mask_bits).to_bytes(layout.data_modules)
    modules = bytes(layout.gather(layout.template + masked))
    size = layout.size
    matrix = tuple(modules[r * size : (r + 1) * size] for r in range(size))
    return Symbol(matrix, version, level, mask)


def _byte_mode(payload):
    """The payload's bytes when segno would encode it as one byte-mode segment, else None."""
    if isinstance(payload, str):
        try:
            data = payload.encode(consts.DEFAULT_BYTE_ENCODING)
        except UnicodeError:
            return None  # segno tries Shift JIS, then UTF-8: leave that to segno
    elif isinstance(payload, bytes):
        data = payload
    else:
        return None
    if not data or seg.find_mode(data) != consts.MODE_BYTE:
        return None
    return data


def _version(length, error):
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if consts.SYMBOL_CAPACITY[version][error] >= 4 + count_bits + 8 * length:
            return version
    raise segno.DataOverflowError("The payload does not fit into a QR code.")


def _codewords(data, version, error) -> bytes:
    """The final message: data codewords and error correction codewords, interleaved."""
    count_bits = 8 if version < 10 else 16
    capacity = consts.SYMBOL_CAPACITY[version][error]
    value = (consts.MODE_BYTE << count_bits) | len(data)
    value = (value << 8 * len(data)) | int.from_bytes(data)
    length = 4 + count_bits + 8 * len(data)
    terminator = min(capacity - length, 4)
    value <<= terminator
    length += terminator
    # As segno does: 1 to 8 zero bits to the next codeword boundary (a full zero codeword
    # when the stream ends on one; readers stop at the terminator), then the pad codewords.
    padding = 8 - length % 8
    value <<= padding
    length += padding
    message = bytearray(value.to_bytes(length // 8)[: capacity // 8])
    pad = (0xEC, 0x11)
    for i in range(capacity // 8 - len(message)):
        message.append(pad[i % 2])
    data_blocks, error_blocks = [], []
    offset = 0
    for info in consts.ECC[version][error]:
        for _ in range(info.num_blocks):
            block = message[offset : offset + info.num_data]
            offset += info.num_data
            data_blocks.append(block)
            error_blocks.append(_reed_solomon(block, info.num_total - info.num_data))
    return _interleave(data_blocks) + _interleave(error_blocks)


def _interleave(blocks) -> bytes:
    longest = max(len(b) for b in blocks)
    return bytes(b[i] for i in range(longest) for b in blocks if i < len(b))


def _reed_solomon(block, count) -> bytes:
    """The ``count`` error correction codewords of ``block`` (synthetic division over GF(256),
    as segno does)."""
    log, exp, generator = consts.GALIOS_LOG, consts.GALIOS_EXP, consts.GEN_POLY[count]
    rest = bytearray(block)
    rest.extend(bytes(count))
    for k in range(len(block)):
        coef = rest[k]
        if coef:
            lcoef = log[coef]
            for n in range(count):
                rest[k + n + 1] ^= exp[lcoef + generator[n]]
    return bytes(rest[len(block) :])


class _Layout(NamedTuple):
    size: int
    template: bytes  # all modules, row by row, the data modules 0
    data_modules: int
    mask_bits: int  # the mask of the data modules in fill order, one byte each, as an int
    gather: itemgetter  # template + masked data bits → the modules row by row


@functools.cache
def _layout(version, error, mask) -> _Layout:
    """What every symbol of this version, error level and mask shares, made with segno's
    functions exactly as ``segno.encoder._encode`` makes a symbol."""
    size = seg.calc_matrix_size(version)
    matrix = seg.make_matrix(size, size)
    seg.add_finder_patterns(matrix, size, size)
    seg.add_alignment_patterns(matrix, size, size)
    # The data modules in the order segno's add_codewords fills them.
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in range(2):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    order.append((i, j))
    # The modules the mask applies to (find_and_apply_best_mask's function matrix).
    function = seg.make_matrix(size, size)
    seg.add_finder_patterns(function, size, size)
    seg.add_alignment_patterns(function, size, size)
    function[-8][8] = 0x1
    pattern = seg.get_data_mask_functions(False)[mask]
    mask_bits = bytes((pattern(i, j) & 1) if function[i][j] > 0x1 else 0 for i, j in order)
    seg.add_format_info(matrix, version, error, mask)
    seg.add_version_info(matrix, version)
    # A data module that the format or version information writes over keeps that.
    where = {}
    for k, (i, j) in enumerate(order):
        if matrix[i][j] == 0x2:
            matrix[i][j] = 0x0
            where[i * size + j] = size * size + k
    template = b"".join(bytes(row) for row in matrix)
    gather = itemgetter(*[where.get(p, p) for p in range(size * size)])
    return _Layout(size, template, len(order), int.from_bytes(mask_bits), gather)
