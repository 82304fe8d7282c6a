{#- The agents file has no effective dates: an agent's team, home queue and hourly cost are the
    latest delivered, for every day of the agent's history, and a home queue belongs to the
    first team (by team_id) of its agents. So a day-keyed incremental model that attributes
    rows by them must re-process old days when they change, though no batch of those days
    changed. What the last successful build, run or retry attributed by is kept in
    ccmetrics_meta.build_agents (written by on-run-end, ccm_build_agents_recorded). -#}

{#- This project's model `name` as built in the warehouse (none while it does not exist), found
    through the graph rather than ref: the models that compare with it run after it anyway
    (each reads a model built from it), and a ref would make each of their unit tests declare
    it. -#}
{% macro ccm_built_model(name) -%}
    {%- set node = graph.nodes.get('model.ccmetrics.' ~ name) -%}
    {{- return(none if node is none else adapter.get_relation(
        database=node.database, schema=node.schema, identifier=node.alias
    )) -}}
{%- endmacro %}

{#- stg_wfm__agents as built in the warehouse (ccm_built_model). -#}
{% macro ccm_staged_agents() -%}
    {{- return(ccm_built_model('stg_wfm__agents')) -}}
{%- endmacro %}

{#- The statements on-run-end appends (each after a semicolon) for an invocation that succeeded
    and rebuilt what it selected (build, run, retry): they replace ccmetrics_meta.build_agents
    with the agents of stg_wfm__agents, and ccmetrics_meta.build_queue_channels with the
    channel each home queue's labor was booked to (int_queue_agents_assigned). Nothing for a
    model never built. -#}
{% macro ccm_build_agents_recorded() -%}
    {%- set agents = ccm_staged_agents() -%}
    {%- if agents is not none -%}
        ;
        create or replace table ccmetrics_meta.build_agents as
        select
            agent_id,
            team_id,
            home_queue_id,
            hourly_cost
        from {{ agents }}
    {%- endif -%}
    {%- set assigned = ccm_built_model('int_queue_agents_assigned') -%}
    {%- if assigned is not none -%}
        ;
        create or replace table ccmetrics_meta.build_queue_channels as
        select distinct
            queue_id,
            channel
        from {{ assigned }}
    {%- endif -%}
{%- endmacro %}

{#- A select of the moment a day-keyed model attributing rows by agent re-processes from because
    the agents changed since the last successful build (null when they did not):
    - an agent whose team, home queue or hourly cost changed, or who is no longer delivered:
      every day (the agent's whole history is attributed anew);
    - a home queue whose team changed, that is new or that no agent has any more: every day
      (its contacts' service-level rows change team, those from before the change too);
    - a new agent: from the day before the hire date (every day without one), since an agent
      delivered late may have worked before the file named them.
    Every day when the last successful build recorded no agents (built before this record
    existed); nothing without the load log (the ci target has no build record either). -#}
{% macro ccm_agents_changed_from() -%}
    {%- set every_day = "cast('0001-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set agents = ccm_staged_agents() if ccm_load_log_present() else none -%}
    {%- if not ccm_load_log_present() -%}
        select cast(null as {{ dbt.type_timestamp() }})
    {%- elif agents is none or adapter.get_relation(
        database=target.database, schema='ccmetrics_meta', identifier='build_agents'
    ) is none -%}
        select {{ every_day }}
    {%- else -%}
        {%- set attributes = 'agent_id, team_id, home_queue_id, hourly_cost' -%}
        {%- set queue_teams -%}
            select
                home_queue_id,
                min(team_id) as team_id
            from __relation__
            group by home_queue_id
        {%- endset -%}
        select min(changes.changed_from)
        from (
            select {{ every_day }} as changed_from
            from (
                select {{ attributes }} from ccmetrics_meta.build_agents
                except
                select {{ attributes }} from {{ agents }}
            ) as changed_or_gone

            union all

            select coalesce(
                {{ dbt.dateadd('day', -1, 'cast(hired.hire_date as ' ~ dbt.type_timestamp() ~ ')') }},
                {{ every_day }}
            )
            from {{ agents }} as hired
            where hired.agent_id not in (select built.agent_id from ccmetrics_meta.build_agents as built)

            union all

            select {{ every_day }}
            from (
                (
                    {{ queue_teams | replace('__relation__', agents | string) }}
                    except
                    {{ queue_teams | replace('__relation__', 'ccmetrics_meta.build_agents') }}
                )
                union all
                (
                    {{ queue_teams | replace('__relation__', 'ccmetrics_meta.build_agents') }}
                    except
                    {{ queue_teams | replace('__relation__', agents | string) }}
                )
            ) as queues_changed
        ) as changes
    {%- endif -%}
{%- endmacro %}

{#- A select of the moment the queue interval models re-process from because the channel a home
    queue's labor is booked to moved since the last successful build (null when none did): every
    day. int_queue_agents_assigned books an agent's labor to the home queue on the channel most
    of the queue's offered contacts came on over the whole history, so new contacts can move
    it, and a full refresh then books every day of the queue's labor to the new channel. Only
    queues in both records are compared: a home queue that is new or gone is a change of the
    agents file (ccm_agents_changed_from). Every day when the last successful build recorded no
    channels (built before this record existed); nothing without the load log. -#}
{% macro ccm_queue_channels_changed_from() -%}
    {%- set every_day = "cast('0001-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set assigned = (
        ccm_built_model('int_queue_agents_assigned') if ccm_load_log_present() else none
    ) -%}
    {%- if not ccm_load_log_present() -%}
        select cast(null as {{ dbt.type_timestamp() }})
    {%- elif assigned is none or adapter.get_relation(
        database=target.database, schema='ccmetrics_meta', identifier='build_queue_channels'
    ) is none -%}
        select {{ every_day }}
    {%- else -%}
        select case when count(*) > 0 then {{ every_day }} end
        from (select distinct queue_id, channel from {{ assigned }}) as booked
        inner join ccmetrics_meta.build_queue_channels as recorded
            on booked.queue_id = recorded.queue_id
        where booked.channel <> recorded.channel
    {%- endif -%}
{%- endmacro %}
