{#- A select of the chain_id of every chain int_contacts_chained re-computed in this invocation
    (a segment stamped with the current processed_invocation_id). That model re-processes whole
    chains, including those that only lost a segment, so a model computed per chain from its
    segments needs to re-process exactly these. -#}
{% macro ccm_chains_recomputed() -%}
    select distinct recomputed.chain_id
    from {{ ref('int_contacts_chained') }} as recomputed
    where recomputed.processed_invocation_id = '{{ invocation_id }}'
{%- endmacro %}

{#- Pre-hook of a per-chain incremental model (appended on incremental runs): deletes the rows of
    the chains re-computed in this invocation, including a chain that no longer qualifies for the
    model, before the run appends their new rows. -#}
{% macro ccm_incremental_clear_chains() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where chain_id in ({{ ccm_chains_recomputed() }})
    {%- endif -%}
{%- endmacro %}
