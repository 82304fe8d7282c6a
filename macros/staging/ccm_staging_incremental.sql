{#- How a landing staging model (one row per key, the latest version) is materialized.

    DuckDB: computed once per run instead of in every model and test that reads staging. An
    incremental model while the entity is read from the landing files alone: a run re-stages
    only the keys the loader changed since the last successful build (ccm_staging_changed_keys).
    A table while a native system is unioned in (var source_systems): its rows come from
    staging models of their own, which the load log does not describe.
    Spark: as before, a table when the model hashes PII (Spark refuses a stored view calling the
    session's function), otherwise a view. -#}
{% macro ccm_staging_materialization(entity=none, hashes_pii=false) -%}
    {{ return(adapter.dispatch('ccm_staging_materialization', 'ccmetrics')(entity, hashes_pii)) }}
{%- endmacro %}

{% macro default__ccm_staging_materialization(entity, hashes_pii) -%}
    {%- if entity is none or ccm_enabled_systems(entity) == ['landing'] -%}
        {{ return('incremental') }}
    {%- endif -%}
    {{ return('table') }}
{%- endmacro %}

{% macro spark__ccm_staging_materialization(entity, hashes_pii) -%}
    {{ return('table' if hashes_pii else 'view') }}
{%- endmacro %}

{#- True when the loader's batch log and dbt's build log both exist: without them (the ci
    target builds raw from seeds) nothing says what changed, and everything is re-processed.
    Asked through dbt's relation cache, which lists a schema once per invocation: every
    incremental model and scoped test asks, and nothing creates either table during a build
    but on-run-start (DuckDB takes one writer, so the loader cannot run meanwhile).
    Always false on Spark: the loader writes DuckDB, and dbt's build log is DuckDB's
    (ccm_build_run_is_recorded). -#}
{% macro ccm_load_log_present() -%}
    {{ return(adapter.dispatch('ccm_load_log_present', 'ccmetrics')()) }}
{%- endmacro %}

{% macro default__ccm_load_log_present() -%}
    {%- if not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set load_log = adapter.get_relation(
        database=target.database, schema='raw', identifier='_load_reconciliation'
    ) -%}
    {%- set build_log = adapter.get_relation(
        database=target.database, schema='ccmetrics_meta', identifier='build_runs'
    ) -%}
    {{- return(load_log is not none and build_log is not none) -}}
{%- endmacro %}

{% macro spark__ccm_load_log_present() -%}
    {{- return(false) -}}
{%- endmacro %}

{#- A select of when the last successful build, run or retry started (null when none is
    recorded): it left every incremental model consistent with the batches loaded before. -#}
{% macro ccm_last_successful_build_started() -%}
    select max(started_at) as started_at
    from ccmetrics_meta.build_runs
    where status = 'success' and command in ('build', 'run', 'retry')
{%- endmacro %}

{#- The statuses of raw._load_reconciliation under which a batch changed the rows of its
    batch_date: loaded (loaded, loaded_with_quarantine) or corrected from the quarantine
    (corrected). A batch rejected, refused_shrink or unchanged changed nothing. -#}
{% macro ccm_changing_batch_statuses() -%}
    ('loaded', 'loaded_with_quarantine', 'corrected')
{%- endmacro %}

{#- A condition: the parameters this invocation runs under (recorded by on-run-start) differ
    from those of the last successful build, run or retry, or none is recorded (a build from
    before parameters were recorded included). Every incremental model then re-processes all
    its rows, as a full refresh would under the new parameters. -#}
{% macro ccm_parameters_changed() -%}
    coalesce((
        select current_run.parameters
        from ccmetrics_meta.build_runs as current_run
        where current_run.invocation_id = '{{ invocation_id }}'
    ), '') <> coalesce((
        select last_build.parameters
        from ccmetrics_meta.build_runs as last_build
        where last_build.status = 'success' and last_build.command in ('build', 'run', 'retry')
        order by last_build.started_at desc
        limit 1
    ), '')
{%- endmacro %}

{#- ccm_parameters_changed asked once, when the model is compiled for execution (false while
    parsing): rendered into a staging model's filter as a condition, it kept DuckDB from
    applying the changed batch days to the scan (about 0.7 s per staging model at 10 M
    contacts). -#}
{% macro ccm_parameters_changed_in_run() -%}
    {%- if not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {{- return(run_query('select ' ~ ccm_parameters_changed()).columns[0].values()[0]) -}}
{%- endmacro %}

{#- A select of the batch_dates of the raw table `source_relation` the loader changed since the
    last successful build: loaded (loaded, loaded_with_quarantine) or corrected from the
    quarantine. The loader logs each batch under its raw table's name. -#}
{% macro ccm_changed_batch_dates(source_relation) -%}
    select batches.batch_date
    from raw._load_reconciliation as batches
    cross join ({{ ccm_last_successful_build_started() }}) as last_build
    where
        batches.source = '{{ source_relation.identifier }}'
        and batches.status in {{ ccm_changing_batch_statuses() }}
        and batches.batch_date is not null
        and (last_build.started_at is null or batches.finished_at >= last_build.started_at)
{%- endmacro %}

{#- A select of the batch_dates of ccm_changed_batch_dates that the loader had changed before as
    well (changing statuses only: a re-delivery or a correction of a day already loaded). Only
    such a day can have lost raw rows: the loader removes rows of a day only when the day is
    delivered again, so every row staged from a day delivered once is still in the raw table. -#}
{% macro ccm_redelivered_batch_dates(source_relation) -%}
    select delivered.batch_date
    from raw._load_reconciliation as delivered
    where
        delivered.source = '{{ source_relation.identifier }}'
        and delivered.status in {{ ccm_changing_batch_statuses() }}
        and delivered.batch_date in ({{ ccm_changed_batch_dates(source_relation) }})
    group by delivered.batch_date
    having count(*) > 1
{%- endmacro %}

{#- True when an incremental staging model re-stages only the keys the loader changed
    (ccm_staging_changed_keys): an incremental run with the load log present and the parameters
    of the last successful build. -#}
{% macro ccm_staging_is_scoped() -%}
    {{- return(is_incremental() and ccm_load_log_present() and not ccm_parameters_changed_in_run()) -}}
{%- endmacro %}

{#- The where clause that limits an incremental staging model's source rows to the keys whose
    latest version may have changed, all versions of each: the keys of every row loaded since
    the last successful build, and the keys staged from a day re-delivered or corrected since
    (a re-delivery may have removed their latest version). Empty unless ccm_staging_is_scoped
    (every key is re-staged), which implies a successful build is recorded (without one the
    parameters count as changed).
    Both are read as literals computed when the model is compiled for execution, so that DuckDB
    skips blocks by their bounds: the start of the last successful build (with a subquery, the
    rows loaded since were found by reading every row's _loaded_at and key), then the batch days
    that hold a version of those keys: DuckDB keeps exact bounds of a date per block, and read
    by the keys alone (strings, bounded by 8-byte prefixes) the raw table was decompressed whole,
    every column of every row: 3 to 9 s of a new day's run of stg_acd__contacts at 10 M
    contacts. Every raw row has its batch's _batch_date (tested on each source). -#}
{% macro ccm_staging_changed_keys(source_relation, key) -%}
    {%- if ccm_staging_is_scoped() -%}
        {%- set last_build_started = run_query(
            'select cast(started_at as ' ~ dbt.type_string() ~ ') from ('
            ~ ccm_last_successful_build_started() ~ ') as last_build'
        ).columns[0].values()[0] -%}
        {%- set changed_keys -%}
            select loaded.{{ key }}
            from {{ source_relation }} as loaded
            where loaded._loaded_at >= cast('{{ last_build_started }}' as {{ dbt.type_timestamp() }})
            union
            select staged.{{ key }}
            from {{ this }} as staged
            where staged.batch_date in ({{ ccm_changed_batch_dates(source_relation) }})
        {%- endset -%}
        {%- set batch_dates = run_query(
            'select distinct cast(versions._batch_date as ' ~ dbt.type_string() ~ ') from '
            ~ source_relation ~ ' as versions where versions.' ~ key ~ ' in (' ~ changed_keys ~ ')'
        ).columns[0].values() -%}
        {%- if batch_dates | length == 0 %}
        where 1 = 0
        {%- else %}
        where
            _batch_date in (
                {%- for batch_date in batch_dates | sort %}
                cast('{{ batch_date }}' as date){{ "," if not loop.last }}
                {%- endfor %}
            )
            and {{ key }} in ({{ changed_keys }})
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of every staging model (dbt_project.yml), acting on the incremental ones: delete+insert
    replaces the keys the run staged (the model's unique_key), but a key whose every version a
    re-delivery removed is staged by no run. Such a key was staged from a day re-delivered or
    corrected since the last successful build (ccm_redelivered_batch_dates; every day without
    the load log or under changed parameters). Only those staged keys are looked up in the raw
    table: hashing every key the raw table holds cost more than the rest of a one-day run, and
    looking up the keys of a new day, which cannot have vanished, 2.8 s of a 4.3 s run of
    stg_acd__agent_states at 10 M contacts. A model that unions native
    systems (its raw table is one of ccm_systems_delivering's entities) is incremental only while
    the landing files are its one system, so the rows of another system, left by a build with it
    enabled, are removed too. -#}
{% macro ccm_staging_remove_vanished() -%}
    {%- if is_incremental() -%}
        {%- set source_name, table_name = model.sources[0] -%}
        {%- set source_relation = source(source_name, table_name) -%}
        {%- set key = config.get('unique_key') -%}
        {%- set staged_from_changed_days -%}
            select staged.{{ key }}
            from {{ this }} as staged
            {%- if ccm_staging_is_scoped() %}
            where staged.batch_date in ({{ ccm_redelivered_batch_dates(source_relation) }})
            {%- endif %}
        {%- endset -%}
        {%- if table_name in ccm_systems_delivering() %}
        delete from {{ this }} where source_system <> 'landing';
        {%- endif %}
        delete from {{ this }}
        where
            {{ key }} in ({{ staged_from_changed_days }})
            and {{ key }} not in (
                select present.{{ key }}
                from {{ source_relation }} as present
                where present.{{ key }} in ({{ staged_from_changed_days }})
            )
    {%- endif -%}
{%- endmacro %}
