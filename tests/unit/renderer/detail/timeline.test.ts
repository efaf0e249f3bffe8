import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import RequestTimeline from '../../../../renderer/src/components/detail/RequestTimeline.vue';
import { buildTimeline } from '../../../../renderer/src/components/detail/timeline';
import { NOW, at, makeAudit, makeDetail } from './fakes';

const decided = makeAudit({ seq: 7, at: at(-20 * 60_000), actor: 'seller', action: 'refuse', params: { reason: 'other', attachments: ['photo-1', 'photo-2'], photos: ['label.png', 'box.jpg'] }, message: 'Refuse: Other.' });
const delivered = makeAudit({ seq: 8, at: at(-19 * 60_000), actor: 'marketplace', action: 'delivered', params: { outboxId: 'o-1', endpoint: 'refuse', photos: ['label.png', 'box.jpg'] }, message: 'The marketplace applied it: the request is now refused.' });

describe('the timeline shows what was sent with a decision', () => {
  it('a delivered refusal with photos reads "Sent 2 photos with the refusal", the names isolated beneath', () => {
    const events = buildTimeline(makeDetail({ detail: { audit: [delivered, decided] } }));
    const sent = events.find((event) => event.key === 'audit.8.photos');
    expect(sent).toMatchObject({ title: 'Sent 2 photos with the refusal', detail: 'label.png, box.jpg', untrustedDetail: true, source: 'audit', at: delivered.at });
    // Just above its delivery; the decision itself (not yet sent then) has no such line.
    const keys = events.map((event) => event.key);
    expect(keys.indexOf('audit.8.photos')).toBe(keys.indexOf('audit.8') - 1);
    expect(keys.filter((key) => key.endsWith('.photos'))).toEqual(['audit.8.photos']);
  });

  it('one photo with an offer, and nothing for a delivery without photos', () => {
    const offer = makeAudit({ seq: 3, actor: 'marketplace', action: 'delivered', params: { endpoint: 'offer', photos: ['scratch.jpg'] } });
    const plain = makeAudit({ seq: 4, actor: 'marketplace', action: 'delivered', params: { endpoint: 'escalate' } });
    const events = buildTimeline(makeDetail({ detail: { audit: [plain, offer] } }));
    expect(events.find((event) => event.key === 'audit.3.photos')?.title).toBe('Sent 1 photo with the offer');
    expect(events.some((event) => event.key === 'audit.4.photos')).toBe(false);
  });

  it('renders the line, with the file names isolated', () => {
    const wrapper = mount(RequestTimeline, { props: { detail: makeDetail({ detail: { audit: [delivered, decided] } }), now: NOW } });
    const line = wrapper.findAll('li').find((item) => item.text().includes('Sent 2 photos with the refusal'));
    expect(line?.find('.detail-event-detail').text()).toBe('label.png, box.jpg');
    expect(line?.find('.detail-event-detail').classes()).toContain('untrusted');
  });
});
