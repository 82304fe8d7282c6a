{#- A select of the chain_id of every chain int_contacts_chained re-computed in this invocation
    (a segment stamped with the current processed_invocation_id). That model re-processes whole
    chains, including those that only lost a segment, so a model computed per chain from its
    segments needs to re-process exactly these. -#}
{% macro ccm_chains_recomputed() -%}
    select distinct recomputed.chain_id
    from {{ ref('int_contacts_chained') }} as recomputed
    where recomputed.processed_invocation_id = '{{ invocation_id }}'
{%- endmacro %}

{#- A select of the earliest start among the segments int_contacts_chained re-computed in this
    invocation (null when none), the one definition behind ccm_chains_recomputed_start and
    ccm_chains_recomputed_from. -#}
{% macro ccm_chains_recomputed_min_start() -%}
    select min(recomputed.started_at)
    from {{ ref('int_contacts_chained') }} as recomputed
    where recomputed.processed_invocation_id = '{{ invocation_id }}'
{%- endmacro %}

{#- The earliest start among the segments int_contacts_chained re-computed in this invocation,
    rendered as a timestamp literal (looked up when the model is compiled for execution; a
    subquery while dbt parses). Every chain re-computed starts no earlier, and neither does a
    later chain of the same customers, so it bounds the chains a per-chain model reads. As a
    literal the engine skips the blocks of older chains (a subquery it cannot: reading the
    chains of a few days from 10 M took 1.7 s instead of 0.4). Far in the future when none
    was re-computed. -#}
{% macro ccm_chains_recomputed_start() -%}
    {%- set earliest = ccm_chains_recomputed_min_start() -%}
    {%- if not execute -%}
        {{- return('(' ~ earliest ~ ')') -}}
    {%- endif -%}
    {%- set start = run_query(
        'select cast((' ~ earliest ~ ') as ' ~ dbt.type_string() ~ ')'
    ).columns[0].values()[0] -%}
    {{- return(
        "cast('" ~ (start or '9999-12-31 00:00:00') ~ "' as " ~ dbt.type_timestamp() ~ ')'
    ) -}}
{%- endmacro %}

{#- A select of the moment a day-keyed model re-processes from because of the chains
    int_contacts_chained re-computed in this invocation: a day before the earliest start among
    them (the reporting day can begin a day before its UTC day; null when none). A callback or
    transfer can join a chain weeks after it started, and the chain's events move from the day
    it ended to the new one: the old day is past the changed days' cutoff, which follows the
    new segment's day, but not before the chain's start. -#}
{% macro ccm_chains_recomputed_from() -%}
    select {{ dbt.dateadd('day', -1, '(' ~ ccm_chains_recomputed_min_start() ~ ')') }}
{%- endmacro %}

{#- A select of the chain_id of every chain of `chains` (a relation with chain_id, customer_id
    and started_at) whose standing as a follow-up may have changed in this invocation: a chain
    int_contacts_chained re-computed, and every later chain of a customer with a re-computed
    chain, since a chain is a follow-up of its customer's earlier chains. A chain that lost
    every segment started on a changed day, so the chains after it are re-computed ones. Both
    start no earlier than recomputed_start (ccm_chains_recomputed_start, looked up once by the
    caller), by which `chains` is read. -#}
{% macro ccm_follow_up_chains_recomputed(chains, recomputed_start) -%}
    select recomputed_chains.chain_id
    from ({{ ccm_chains_recomputed() }}) as recomputed_chains

    union

    select later.chain_id
    from {{ chains }} as later
    inner join (
        select
            changed.customer_id,
            min(changed.started_at) as changed_from
        from {{ chains }} as changed
        where
            changed.started_at >= {{ recomputed_start }}
            and changed.chain_id in ({{ ccm_chains_recomputed() }})
        group by changed.customer_id
    ) as changed_customers
        on
            later.customer_id = changed_customers.customer_id
            and later.started_at > changed_customers.changed_from
    where later.started_at >= {{ recomputed_start }}
{%- endmacro %}

{#- Pre-hook of a per-chain incremental model (appended on incremental runs): deletes the rows of
    the chains it re-computes in this invocation (`chains`, a select of chain_id; by default the
    chains re-computed upstream), including a chain that no longer qualifies for the model,
    before the run appends their new rows. Every chain it re-computes starts no earlier than the
    earliest re-computed upstream (a later chain of the same customer starts after it): that
    moment is recorded for the model's data tests (ccm_reprocessed_from_recorded). -#}
{% macro ccm_incremental_clear_chains(chains=none) -%}
    {%- if is_incremental() -%}
        {%- do ccm_reprocessed_from_recorded(ccm_chains_recomputed_from()) -%}
        delete from {{ this }}
        where chain_id in ({{ chains if chains is not none else ccm_chains_recomputed() }})
    {%- endif -%}
{%- endmacro %}

{#- A select of the moment a day-keyed model re-processes from because of the interactions
    int_customer_interactions_fcr_flagged judged again in this invocation (stamped with the
    current processed_invocation_id): a day before the earliest `time_column` among them (null
    when none), over the interactions of `interaction_type` only when given. Their FCR flags
    may have changed without any row of their day: a later end of the data completes their
    windows, weeks after their day when the center was closed in between, and the changed
    days' cutoff follows the new day. -#}
{% macro ccm_interactions_rejudged_from(time_column='ended_at', interaction_type=none) -%}
    select {{ dbt.dateadd('day', -1, 'min(rejudged.' ~ time_column ~ ')') }}
    from {{ ref('int_customer_interactions_fcr_flagged') }} as rejudged
    where
        rejudged.processed_invocation_id = '{{ invocation_id }}'
        {%- if interaction_type is not none %}
        and rejudged.interaction_type = '{{ interaction_type }}'
        {%- endif %}
{%- endmacro %}

{#- The selects of the moments the queue interval models (int_queue_intervals_aggregated and
    fct_queue_daily, which must re-process the same days) re-process from besides their changed
    days: the chains re-computed and the interactions judged again upstream, a change of the
    agents their labor is booked by (queue and hourly cost) and of the channel a home queue's
    labor is booked to. A list for ccm_incremental_cutoff's also_from. -#}
{% macro ccm_queue_days_changed_from() -%}
    {{ return([
        ccm_chains_recomputed_from(),
        ccm_interactions_rejudged_from(),
        ccm_agents_changed_from(),
        ccm_queue_channels_changed_from()
    ]) }}
{%- endmacro %}
