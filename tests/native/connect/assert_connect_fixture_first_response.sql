{{ config(enabled=('connect' in var('source_systems', ['landing']))) }}

{#- First response: a chat's first agent message (cnx-09: ChatMetrics says 10:21:40, 40 s
    after the agent connected at 10:21:00), else the agent connect; and the canonical union
    says each fixture contact came from connect. Returns the contacts that break either. -#}

select
    contacts.contact_id,
    contacts.first_response_at,
    contacts.connected_at,
    contacts.source_system
from {{ ref('stg_acd__contacts') }} as contacts
where
    contacts.contact_id like 'cnx-%'
    and (
        contacts.source_system <> 'connect'
        or coalesce(contacts.first_response_at, cast('1900-01-01' as timestamp))
        <> coalesce(
            case
                when contacts.contact_id = 'cnx-09'
                    then cast('2026-03-10 10:21:40' as timestamp)
                else contacts.connected_at
            end,
            cast('1900-01-01' as timestamp)
        )
    )
