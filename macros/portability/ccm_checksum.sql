{#- A 64-bit checksum of a string, as a bigint, for telling whether a set of rows changed:
    the bit_xor of the checksums of a set's members does not depend on their order and can be
    combined from the partial xors of any grouping. Each engine uses its own hash function,
    so a checksum is only compared with checksums the same engine computed. -#}
{% macro ccm_checksum(expression) -%}
    {{ return(adapter.dispatch('ccm_checksum', 'ccmetrics')(expression)) }}
{%- endmacro %}

{#- DuckDB's hash is an unsigned 64-bit integer: shifted by one bit it fits a bigint. -#}
{% macro default__ccm_checksum(expression) -%}
    cast(hash({{ expression }}) >> 1 as bigint)
{%- endmacro %}

{% macro spark__ccm_checksum(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}
