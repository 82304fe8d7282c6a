{#- Replaces a customer identifier (phone number, e-mail address) with a salted SHA-256 so that
    contacts can still be matched per person while the raw value never reaches a mart. The
    value is trimmed and lower-cased first so that formatting differences do not split one
    person into two. The salt comes from CCMETRICS_PII_SALT; the default is for the demo only. -#}
{% macro ccm_hash_pii(column_name) -%}
    {{ return(adapter.dispatch('ccm_hash_pii', 'ccmetrics')(column_name)) }}
{%- endmacro %}

{% macro default__ccm_hash_pii(column_name) -%}
    case
        when {{ column_name }} is not null
            then sha2(concat('{{ ccm_pii_salt() }}', lower(trim({{ column_name }}))), 256)
    end
{%- endmacro %}

{% macro duckdb__ccm_hash_pii(column_name) -%}
    case
        when {{ column_name }} is not null
            then sha256(concat('{{ ccm_pii_salt() }}', lower(trim({{ column_name }}))))
    end
{%- endmacro %}

{% macro ccm_pii_salt() -%}
    {{ env_var('CCMETRICS_PII_SALT', 'ccmetrics-demo-salt') | replace("'", "''") }}
{%- endmacro %}
