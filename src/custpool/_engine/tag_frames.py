"""Customers' tags from a data frame, vectorised: the work behind ``CustomerTags.from_frame``.

A contacts export has a customer id column and a tags column, either a list of strings per row
or one string with the tags joined by a separator (``"vip,interest:咖啡"``). The plan:

1. the frame becomes a ``pyarrow.Table`` (:func:`custpool._frames.arrow_table`);
2. the id column is dictionary-encoded, so each distinct id is checked once, and each row gets
   the row of its customer (the sorted distinct ids, or the ``customers`` given);
3. the tags column is split (``split_pattern``) if it is text, then flattened (``list_flatten``,
   with ``list_parent_indices`` telling each tag's frame row) and dictionary-encoded, so each
   distinct text is parsed into a :class:`~custpool.Tag` once — normalisation is a function of
   the text alone, so this is exactly what ``Tag.parse`` does row by row;
4. one fancy-indexed assignment sets ``held[customer row, tag column]``: rows of one customer
   unite their tags.

No Python loop runs over rows, only over distinct ids (in C, a regex, except for non-ASCII ids)
and distinct tag texts. Errors are strict: the first problem raises, naming the frame's column
and the row (0-based, as the frame counts them). Customer ids are never shown, since an export's
ids may be phone numbers or WeChat ids; their errors give the row, counts and the rule.

pyarrow is imported only inside these functions, never when custpool is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
from pydantic import ValidationError as PydanticValidationError

from custpool._engine.ids import Ids
from custpool._errors import ValidationError, WrongTypeError, wrong_argument
from custpool._fields import ID_MAX_LENGTH, check_identifier
from custpool._frames import arrow_table
from custpool._model import Tag, TagGroup

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["frame_tags"]

_ASCII_ID: Final = rf"^[!-~]{{1,{ID_MAX_LENGTH}}}$"
"""Printable ASCII without the space: an id that matches is valid (the common case, in C)."""
_SHOWN_COLUMNS: Final = 12


def _pa() -> Any:  # noqa: ANN401 - the pyarrow module
    import pyarrow as pa  # noqa: PLC0415 - optional: imported when a frame is read

    return pa


def _pc() -> Any:  # noqa: ANN401 - pyarrow.compute
    import pyarrow.compute as pc  # noqa: PLC0415 - optional: imported when a frame is read

    return pc


def frame_tags(  # noqa: PLR0913 - keyword-only options, each documented on CustomerTags.from_frame
    frame: object,
    *,
    customer_id: object,
    tags: object,
    separator: object,
    customers: Ids | None,
    vocabulary: tuple[Tag, ...] | None,
) -> tuple[Ids, tuple[Tag, ...], NDArray[np.bool_]]:
    """Return the customer ids, the sorted vocabulary and the writable ``held`` matrix.

    ``customers`` and ``vocabulary`` come checked (by ``CustomerTags.from_frame``); see that
    method for the rules.

    Examples
    --------
    >>> import pyarrow as pa
    >>> frame = pa.table({"customer_id": ["c-2", "c-1", "c-2"], "tags": ["vip,B", "", "b"]})
    >>> ids, vocabulary, held = frame_tags(
    ...     frame, customer_id="customer_id", tags="tags", separator=",",
    ...     customers=None, vocabulary=None,
    ... )
    >>> list(ids), [str(t) for t in vocabulary], held.tolist()
    (['c-1', 'c-2'], ['b', 'vip'], [[False, False], [True, True]])
    """
    id_name = _column_name("customer_id", customer_id)
    tag_name = _column_name("tags", tags)
    sep = _separator(separator)
    table = arrow_table(frame)
    id_values = _column(table, "customer_id", id_name)
    tag_values = _column(table, "tags", tag_name)
    # each row's index into the distinct ids, which are all valid
    codes, distinct = _id_codes(id_name, id_values)
    # the customers' rows: the sorted distinct ids, or the customers given
    if customers is None:
        ids, row_of = _sorted_ids(distinct)
    else:
        ids, row_of = customers, _given_rows(id_name, distinct, codes, customers)
    customer_rows = row_of[codes]
    # every tag text with its frame row; each distinct text parsed once
    pieces, parents = _pieces(tag_name, tag_values, sep)
    columns, held_tags = _tag_columns(tag_name, pieces, parents, vocabulary)
    held = np.zeros((len(ids), len(held_tags)), dtype=np.bool_)
    present = columns >= 0
    held[customer_rows[parents[present]], columns[present]] = True
    return ids, held_tags, held


# -- arguments -------------------------------------------------------------------------------


def _column_name(option: str, value: object) -> str:
    if not isinstance(value, str):
        raise wrong_argument(option, value, "must be the name of a column of the frame (a str)")
    return value


def _separator(value: object) -> str:
    rule = (
        "must be a non-empty string without ':' (':' separates a tag's group from its name), "
        "such as ',' or ';'"
    )
    if not isinstance(value, str):
        raise wrong_argument("separator", value, rule)
    if not value or ":" in value:
        raise ValidationError("separator", value, rule)
    return value


def _column(table: Any, option: str, name: str) -> Any:  # noqa: ANN401 - pyarrow
    """Return the frame's column ``name``, or raise naming the option and the frame's columns."""
    if name in table.column_names:
        return table.column(name)
    names = table.column_names
    shown = ", ".join(names[:_SHOWN_COLUMNS]) + (", …" if len(names) > _SHOWN_COLUMNS else "")
    rule = f"must name a column of the frame; its columns are: {shown or '(none)'}"
    raise ValidationError(option, name, rule)


# -- customer ids ----------------------------------------------------------------------------


def _hidden(field: str, rule: str, length: int | None = None) -> ValidationError:
    """Return an error about an id, never showing it: it may be a phone number or a WeChat id."""
    shown = "<not shown>" if length is None else f"<not shown, {length} chars>"
    return ValidationError(field, shown, rule, shown=shown)


def _id_codes(name: str, values: Any) -> tuple[NDArray[np.int64], Any]:  # noqa: ANN401 - pyarrow
    """Return each row's index into the distinct ids, and the distinct ids (a pyarrow array)."""
    pa, pc = _pa(), _pc()
    values = _decoded(values)
    if not len(values):  # an empty frame: pandas types its empty columns as it likes
        values = pa.chunked_array([], type=pa.large_string())
    kind = values.type
    if pa.types.is_integer(kind):  # integer ids are ids written in decimal
        values = values.cast(pa.int64()).cast(pa.large_string())
    elif _is_text(pa, kind) or pa.types.is_null(kind):  # null: an empty frame's column
        values = values.cast(pa.large_string())
    else:
        rule = "must hold customer ids: strings, or integers (read in decimal)"
        raise WrongTypeError(name, f"column of {kind}", rule)
    encoded = pc.dictionary_encode(values).combine_chunks()
    distinct = encoded.dictionary
    indices = encoded.indices
    if indices.null_count:
        empty = np.flatnonzero(np.asarray(indices.is_null(), dtype=np.bool_))
        rule = "is empty: every row needs a customer id" + _how_many(empty.size)
        raise ValidationError(f"{name}[{int(empty[0])}]", None, rule)
    codes = np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    valid = np.asarray(pc.match_substring_regex(distinct, _ASCII_ID), dtype=np.bool_)
    for position in np.flatnonzero(~valid).tolist():  # non-ASCII or broken: checked one by one
        text = distinct[position].as_py()
        try:
            check_identifier(text)
        except ValueError as error:
            rule = str(error).partition("; got ")[0]
            rows = np.flatnonzero(codes == position)
            more = "" if rows.size == 1 else f" ({rows.size} rows hold this id; the first is shown)"
            raise _hidden(f"{name}[{int(rows[0])}]", rule + more, len(text)) from None
    return codes, distinct


def _sorted_ids(distinct: Any) -> tuple[Ids, NDArray[np.int64]]:  # noqa: ANN401 - pyarrow
    """Return the distinct ids sorted (as an EventTable sorts them) and each one's row."""
    order = np.asarray(_pc().sort_indices(distinct), dtype=np.int64)
    row_of = np.empty(len(distinct), dtype=np.int64)
    row_of[order] = np.arange(order.size, dtype=np.int64)
    return Ids(tuple(distinct.take(order).to_pylist())), row_of


def _given_rows(
    name: str,
    distinct: Any,  # noqa: ANN401 - pyarrow
    codes: NDArray[np.int64],
    customers: Ids,
) -> NDArray[np.int64]:
    """Return each distinct id's row among ``customers``, or raise for ids not among them."""
    pa, pc = _pa(), _pc()
    given = pa.array(list(customers), type=pa.large_string())
    found = pc.index_in(distinct, value_set=given)
    missing = np.asarray(found.is_null(), dtype=np.bool_)
    if missing.any():
        rows = np.flatnonzero(missing[codes])
        count = int(missing.sum())
        ids = "1 customer id" if count == 1 else f"{count} customer ids"
        on = "1 row" if rows.size == 1 else f"{rows.size} rows"
        verb = "is" if count == 1 else "are"
        rule = (
            f"is not one of customers=: {ids} of the frame (on {on}; the first row is shown) "
            f"{verb} not among the {len(customers)} customers given (ids are not shown: they "
            "may be contact handles); give every customer of the frame in customers=, or "
            "filter the frame to those customers first"
        )
        raise _hidden(f"{name}[{int(rows[0])}]", rule)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


# -- tags ------------------------------------------------------------------------------------


def _decoded(values: Any) -> Any:  # noqa: ANN401 - pyarrow
    """Return a dictionary-encoded (categorical) column decoded; any other column as it is.

    Texts become ``large_string``: pyarrow cannot cast or take polars' ``string_view``
    dictionaries, so each chunk's dictionary is cast first, then indexed.
    """
    pa = _pa()
    kind = values.type
    if not pa.types.is_dictionary(kind):
        return values
    value_type = pa.large_string() if _is_text(pa, kind.value_type) else kind.value_type
    chunks = [chunk.dictionary.cast(value_type).take(chunk.indices) for chunk in values.chunks]
    return pa.chunked_array(chunks, type=value_type)


def _is_text(pa: Any, kind: Any) -> bool:  # noqa: ANN401 - pyarrow
    view = getattr(pa.types, "is_string_view", lambda _: False)
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or view(kind))


def _is_list(pa: Any, kind: Any) -> bool:  # noqa: ANN401 - pyarrow
    checks = (
        "is_list",
        "is_large_list",
        "is_fixed_size_list",
        "is_list_view",
        "is_large_list_view",
    )
    return any(getattr(pa.types, check, lambda _: False)(kind) for check in checks)


def _pieces(name: str, values: Any, separator: str) -> tuple[Any, NDArray[np.int64]]:  # noqa: ANN401
    """Return every tag text of the column (nulls kept) and the frame row each comes from."""
    pa, pc = _pa(), _pc()
    values = _decoded(values)  # a categorical column
    kind = values.type
    if pa.types.is_null(kind) or not len(values):  # every cell empty, or no rows
        return pa.chunked_array([], type=pa.large_string()), np.zeros(0, dtype=np.int64)
    if _is_text(pa, kind):
        values = pc.split_pattern(values.cast(pa.large_string()), pattern=separator)
    elif not (_is_list(pa, kind) and (_is_text(pa, kind.value_type) or _null_items(pa, kind))):
        rule = (
            f"must hold tags: a list of strings per row, or strings with the tags separated "
            f"by {separator!r}"
        )
        raise WrongTypeError(name, f"column of {kind}", rule)
    parents = np.asarray(pc.list_parent_indices(values), dtype=np.int64)
    flat = pc.list_flatten(values)
    return flat.cast(pa.large_string()), parents


def _null_items(pa: Any, kind: Any) -> bool:  # noqa: ANN401 - pyarrow
    return bool(pa.types.is_null(kind.value_type))


def _tag_columns(
    name: str,
    pieces: Any,  # noqa: ANN401 - pyarrow
    parents: NDArray[np.int64],
    vocabulary: tuple[Tag, ...] | None,
) -> tuple[NDArray[np.int64], tuple[Tag, ...]]:
    """Return each piece's column in the vocabulary (-1 for a blank) and the vocabulary."""
    encoded = _pc().dictionary_encode(pieces).combine_chunks()
    texts: list[str] = encoded.dictionary.to_pylist()
    indices = np.asarray(encoded.indices.fill_null(len(texts)).to_numpy(zero_copy_only=False))
    allowed = None if vocabulary is None else frozenset(vocabulary)
    parsed: list[Tag | None] = []
    for position, text in enumerate(texts):
        if not text.strip():  # a blank between separators, or an empty cell: no tag
            parsed.append(None)
            continue
        tag, rule = _parse(text)
        if tag is None or (allowed is not None and tag not in allowed):
            if tag is not None:
                rule = f"is not in vocabulary= (normalised: {str(tag)!r}); add it or remove it"
            rows = parents[indices == position]
            more = "" if rows.size == 1 else f" ({rows.size} rows hold it; the first is shown)"
            raise ValidationError(f"{name}[{int(rows[0])}]", text, f"{rule}{more}")
        parsed.append(tag)
    chosen = vocabulary
    if chosen is None:
        chosen = tuple(sorted({t for t in parsed if t is not None}, key=Tag.sort_key))
    column_of = {tag: j for j, tag in enumerate(chosen)}
    lookup = np.array([-1 if t is None else column_of[t] for t in parsed] + [-1], dtype=np.int64)
    return lookup[indices], chosen


def _parse(text: str) -> tuple[Tag | None, str]:
    """Return the tag of a text form, or None and the rule it breaks (as ``Tag.parse`` says)."""
    try:
        return Tag.parse(text), ""
    except PydanticValidationError as error:
        detail = error.errors(include_url=False)[0]
    if detail["loc"] == ("group",):
        groups = ", ".join(g.value for g in TagGroup)
        return None, f"is not a tag: the group before ':' must be one of {groups}"
    return None, f"is not a tag: {detail['msg'].removeprefix('Value error, ')}"


def _how_many(count: int) -> str:
    return "" if count == 1 else f" ({count} rows break this rule; the first is shown)"
