{#- Build status for `ccmetrics publish`, which publishes only a build that finished without
    errors: a failed or killed build leaves a mix of new and stale marts. on-run-start records
    that an invocation began; on-run-end, which sees the result of every node, records how it
    ended. A killed build never reaches on-run-end, so its row keeps a null finished_at.
    Only invocations that write or test the warehouse are recorded (not compile or docs). -#}

{% macro ccm_build_run_is_recorded() -%}
    {{ return(adapter.dispatch('ccm_build_run_is_recorded', 'ccmetrics')()) }}
{%- endmacro %}

{% macro default__ccm_build_run_is_recorded() -%}
    {{ return(execute and invocation_args_dict.get('which') in ['build', 'run', 'seed', 'snapshot', 'test', 'retry']) }}
{%- endmacro %}

{#- Spark tables without Delta accept no UPDATE, and what reads the record (`ccmetrics publish`,
    the changed-days cutoff over the loader's reconciliation) exists on DuckDB only. -#}
{% macro spark__ccm_build_run_is_recorded() -%}
    {{ return(false) }}
{%- endmacro %}

{#- Timestamps are written as UTC literals from the Python clock, so they do not depend on the
    warehouse session's time zone. -#}
{% macro ccm_build_run_utc_now() -%}
    cast('{{ modules.datetime.datetime.now(modules.pytz.utc).strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro ccm_build_run_start() -%}
    {%- if ccm_build_run_is_recorded() -%}
        create schema if not exists ccmetrics_meta;
        create table if not exists ccmetrics_meta.build_runs (
            invocation_id {{ dbt.type_string() }},
            command {{ dbt.type_string() }},
            target_name {{ dbt.type_string() }},
            started_at {{ dbt.type_timestamp() }},
            finished_at {{ dbt.type_timestamp() }},
            status {{ dbt.type_string() }},
            nodes {{ dbt.type_bigint() }},
            errors {{ dbt.type_bigint() }},
            skipped {{ dbt.type_bigint() }},
            parameters {{ dbt.type_string() }}
        );
        alter table ccmetrics_meta.build_runs add column if not exists parameters {{ dbt.type_string() }};
        {{ ccm_build_reprocessed_created() }};
        insert into ccmetrics_meta.build_runs (
            invocation_id, command, target_name, started_at, parameters
        )
        values (
            '{{ invocation_id }}',
            '{{ invocation_args_dict.get("which") }}',
            '{{ target.name }}',
            {{ ccm_build_run_utc_now() }},
            '{{ ccm_parameters_fingerprint() }}'
        )
    {%- endif -%}
{%- endmacro %}

{#- The documented parameters in effect (every var of dbt_project.yml, with --vars applied) as
    an MD5 of their JSON: an incremental model keeps the days it built under the parameters of
    that build, so a run under other parameters re-processes everything
    (ccm_changed_days_cutoff, ccm_staging_changed_keys). -#}
{% macro ccm_parameters_fingerprint() -%}
    {%- set in_effect = {} -%}
    {%- for name in ccm_documented_vars() -%}
        {%- do in_effect.update({name: var(name)}) -%}
    {%- endfor -%}
    {{- local_md5(tojson(in_effect, sort_keys=true)) -}}
{%- endmacro %}

{#- An error is a node that errored or a test that failed (warn-severity tests only warn); a
    skipped node did not run because something upstream failed. A build, run or retry that
    succeeded also records the agents it attributed by (ccm_build_agents_recorded). -#}
{% macro ccm_build_run_end(results) -%}
    {%- if ccm_build_run_is_recorded() -%}
        {%- set tally = namespace(errors=0, skipped=0) -%}
        {%- for result in results -%}
            {%- if result.status in ['error', 'fail', 'runtime error'] -%}
                {%- set tally.errors = tally.errors + 1 -%}
            {%- elif result.status == 'skipped' -%}
                {%- set tally.skipped = tally.skipped + 1 -%}
            {%- endif -%}
        {%- endfor -%}
        update ccmetrics_meta.build_runs
        set
            finished_at = {{ ccm_build_run_utc_now() }},
            status = '{{ "success" if tally.errors == 0 and tally.skipped == 0 else "failed" }}',
            nodes = {{ results | length }},
            errors = {{ tally.errors }},
            skipped = {{ tally.skipped }}
        where invocation_id = '{{ invocation_id }}'
        {%- if tally.errors == 0 and tally.skipped == 0 and invocation_args_dict.get('which') in ['build', 'run', 'retry'] -%}
            {{ ccm_build_agents_recorded() }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
