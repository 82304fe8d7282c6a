{#- One row per team that any agent on record belongs to. Teams have no master data of their
    own: they exist as the team_id of agents, so this is the list of those ids. -#}
with

agents as (

    select
        agent_id,
        team_id
    from {{ ref('dim_agents') }}

),

teams as (

    select
        team_id,
        count(*) as agents_on_record
    from agents
    -- the loader refuses agents without a team; a null would be no team to report on
    where team_id is not null
    group by team_id

),

final as (

    select
        cast(team_id as string) as team_id,
        cast(agents_on_record as bigint) as agents_on_record
    from teams

)

select * from final
