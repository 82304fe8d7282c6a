{#- What each incremental model re-processed in an invocation, for its data tests to read
    exactly those rows (ccm_incremental_test_scope): the models re-process from moments only
    they compute (late surveys, chains a callback extended, agents changed), which a test could
    only approximate. Kept in ccmetrics_meta.build_reprocessed, one row per computation (a
    model's pre-hook computes its cutoff again); a model's moment is the earliest of its rows. -#}

{#- Records that the model being run re-processes from `moment` (a SQL expression of a
    timestamp; null when it re-processes nothing). Only on an incremental run of an invocation
    that ccmetrics_meta.build_runs records, with the load log present: elsewhere no test is
    scoped. -#}
{% macro ccm_reprocessed_from_recorded(moment) -%}
    {%- if execute and model.resource_type == 'model' and is_incremental()
        and ccm_build_run_is_recorded() and ccm_load_log_present() -%}
        {%- do run_query(
            'insert into ccmetrics_meta.build_reprocessed (invocation_id, model_unique_id, reprocessed_from) '
            ~ "select '" ~ invocation_id ~ "', '" ~ model.unique_id ~ "', cast(("
            ~ moment ~ ') as ' ~ dbt.type_timestamp() ~ ')'
        ) -%}
    {%- endif -%}
{%- endmacro %}

{#- The earliest moment the model being run has recorded so far in this invocation, as a string;
    none when it recorded nothing or nothing is recorded here (the conditions of
    ccm_reprocessed_from_recorded). For a model whose pre-hook needs the moment its compiled SQL
    computed, without computing it again. -#}
{% macro ccm_reprocessed_from_so_far() -%}
    {%- if execute and model.resource_type == 'model' and is_incremental()
        and ccm_build_run_is_recorded() and ccm_load_log_present() -%}
        {%- set recorded = ccm_recorded_reprocessed_from(model.unique_id) -%}
        {{- return(none if recorded is none else recorded.recorded_from) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{#- on-run-start: creates ccmetrics_meta.build_reprocessed when missing (statements of
    ccm_build_run_start, which creates the schema). -#}
{% macro ccm_build_reprocessed_created() -%}
    create table if not exists ccmetrics_meta.build_reprocessed (
        invocation_id {{ dbt.type_string() }},
        model_unique_id {{ dbt.type_string() }},
        reprocessed_from {{ dbt.type_timestamp() }}
    )
{%- endmacro %}

{#- What the model `unique_id` re-processed in this invocation, asked once when a test is compiled
    for execution: none when the model was not run incrementally in it (its tests read every
    row), else a dict with `recorded_from`, the earliest recorded moment as a string (none when
    the run re-processed nothing). -#}
{% macro ccm_recorded_reprocessed_from(unique_id) -%}
    {%- set recorded = run_query(
        'select count(*), cast(min(reprocessed_from) as ' ~ dbt.type_string() ~ ') '
        ~ "from ccmetrics_meta.build_reprocessed where invocation_id = '" ~ invocation_id
        ~ "' and model_unique_id = '" ~ unique_id ~ "'"
    ).rows[0] -%}
    {{- return(none if recorded[0] == 0 else {'recorded_from': recorded[1]}) -}}
{%- endmacro %}
