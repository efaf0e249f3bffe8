import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { DEMO_CAPABILITIES } from '../../../../shared/domain/marketplace';
import { DeskError } from '../../../../shared/errors';
import { setDesk } from '../../../../renderer/src/api/desk';
import type { OfferAction, RefuseAction } from '../../../../renderer/src/components/dialogs/actions';
import OfferDialog from '../../../../renderer/src/components/dialogs/OfferDialog.vue';
import { photoLimitsOf, type PhotoLimits } from '../../../../renderer/src/components/dialogs/photos';
import RefuseDialog from '../../../../renderer/src/components/dialogs/RefuseDialog.vue';
import { usePhotosStore } from '../../../../renderer/src/stores/photos';
import { createFakeDesk, type FakeDesk } from '../fake-desk';
import { mountDialog, offerOptionFor, refuseOptionFor, situation } from './factories';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
const JPEG = [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1];

function photo(name: string, magic: readonly number[] = PNG, size = 2_000): File {
  const bytes = new Uint8Array(size);
  bytes.set(magic);
  return new File([bytes], name, { type: 'image/png' });
}

const LIMITS = photoLimitsOf(DEMO_CAPABILITIES) as PhotoLimits;
const dispute = situation();

let desk: FakeDesk;
let attached = 0;

beforeEach(() => {
  setActivePinia(createPinia());
  attached = 0;
  desk = createFakeDesk({
    more: {
      'evidence.attach': (input: { fileName: string; dataBase64: string }) => {
        attached += 1;
        return { attachmentId: `photo-${attached}`, fileName: input.fileName, contentType: 'image/png', bytes: atob(input.dataBase64).length };
      },
      'evidence.detach': () => ({ detached: true }),
    },
  });
  setDesk(desk.api);
  usePhotosStore().open('req-1', LIMITS);
});

afterEach(() => {
  document.body.innerHTML = '';
});

function openRefuse(limits: PhotoLimits | null = LIMITS): VueWrapper<InstanceType<typeof RefuseDialog>> {
  usePhotosStore().open('req-1', limits);
  return mountDialog(RefuseDialog, { props: { option: refuseOptionFor(dispute), photos: limits } });
}

/** Lets every pending read and backend call settle (no time passes). */
async function settle(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await flushPromises();
}

async function drop(wrapper: VueWrapper, files: File[]): Promise<void> {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { files, dropEffect: 'none' } });
  wrapper.get('[data-testid="photo-drop"]').element.dispatchEvent(event);
  await settle();
}

async function pick(wrapper: VueWrapper, files: File[]): Promise<void> {
  const input = wrapper.get<HTMLInputElement>('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: files, configurable: true });
  await input.trigger('change');
  await settle();
}

function names(wrapper: VueWrapper): string[] {
  return wrapper.findAll('.photo-name').map((item) => item.text());
}

function problems(wrapper: VueWrapper): string[] {
  return wrapper.findAll('.photo-problems li').map((item) => item.text());
}

describe('the Photos field of the refuse dialog', () => {
  it('is labelled and reachable by keyboard: a legend with the count, a button with the limits, an input the picker names', () => {
    const wrapper = openRefuse();
    expect(wrapper.get('.photo-field legend').text()).toBe('Photos (optional, 0 of 10)');
    const button = wrapper.get<HTMLButtonElement>('button.photo-add');
    expect(button.text()).toBe('Choose photos…');
    expect(button.attributes('type')).toBe('button');
    expect(document.getElementById(button.attributes('aria-describedby') ?? '')?.textContent).toBe(
      'Up to 10 photos (PNG, JPEG or WebP), 10 MiB each: a shipping label, the parcel, the item as packed.',
    );
    const input = wrapper.get('input[type="file"]');
    expect(input.attributes()).toMatchObject({ accept: 'image/png,image/jpeg,image/webp', 'aria-label': 'Choose photos', tabindex: '-1' });
    expect(input.attributes('multiple')).toBeDefined();
    expect(wrapper.get('[data-testid="photo-drop"]').attributes('role')).toBe('group');
  });

  it('takes dropped and picked photos, lists them, and sends their ids with the refusal', async () => {
    const wrapper = openRefuse();
    await drop(wrapper, [photo('label.png')]);
    await pick(wrapper, [photo('box.jpg', JPEG)]);
    expect(names(wrapper)).toEqual(['label.png', 'box.jpg']);
    expect(desk.inputsOf('evidence.attach')).toEqual([
      { requestId: 'req-1', fileName: 'label.png', dataBase64: expect.any(String) as unknown },
      { requestId: 'req-1', fileName: 'box.jpg', dataBase64: expect.any(String) as unknown },
    ]);
    expect(wrapper.get('[role="status"].sr-only').text()).toBe('box.jpg attached.');
    expect(wrapper.findAll('button.photo-remove').map((button) => button.attributes('aria-label'))).toEqual(['Remove label.png', 'Remove box.jpg']);
    for (const thumb of wrapper.findAll('img.photo-thumb')) expect(thumb.attributes('src')).toMatch(/^blob:/u);

    await wrapper.get('input[type="radio"][value="other"]').setValue(true);
    await wrapper.get('textarea').setValue('See the photos.');
    await wrapper.get('form').trigger('submit');
    await nextTick();
    const [action] = (wrapper.emitted('submit') ?? [])[0] as [RefuseAction];
    expect(action).toEqual({ type: 'refuse', reason: 'other', note: 'See the photos.', attachments: ['photo-1', 'photo-2'] });
  });

  it('refuses a text file renamed .png and a file over 10 MiB in the window, before anything is sent', async () => {
    const wrapper = openRefuse();
    const text = new File(['Tracking: JD0146, not a photo at all'], 'label.png', { type: 'image/png' });
    await pick(wrapper, [text, photo('huge.png', PNG, 10 * 1024 * 1024 + 400 * 1024), photo('ok.png')]);
    expect(problems(wrapper)).toEqual(['label.png is not a PNG, JPEG or WebP image.', 'huge.png is larger than 10 MiB (it is 10.4 MiB).']);
    expect(wrapper.get('.photo-problems').attributes('role')).toBe('alert');
    expect(names(wrapper)).toEqual(['ok.png']);
    expect(desk.inputsOf('evidence.attach')).toEqual([{ requestId: 'req-1', fileName: 'ok.png', dataBase64: expect.any(String) as unknown }]);
  });

  it("shows the backend's sentence when it refuses a photo", async () => {
    desk.answer('evidence.attach', () => {
      throw new DeskError('photo_refused', 'scan.png cannot be sent: it is 60000 × 60000 pixels.');
    });
    const wrapper = openRefuse();
    await pick(wrapper, [photo('scan.png')]);
    expect(problems(wrapper)).toEqual(['scan.png cannot be sent: it is 60000 × 60000 pixels.']);
    expect(names(wrapper)).toEqual([]);
  });

  it('removes a photo (detached in the backend), and keeps focus on the field', async () => {
    const wrapper = openRefuse();
    await pick(wrapper, [photo('label.png'), photo('box.png')]);
    await wrapper.get('button[aria-label="Remove label.png"]').trigger('click');
    await settle();
    expect(desk.inputsOf('evidence.detach')).toEqual([{ attachmentId: 'photo-1' }]);
    expect(names(wrapper)).toEqual(['box.png']);
    expect(document.activeElement).toBe(wrapper.get('button.photo-add').element);
    expect(wrapper.get('[role="status"].sr-only').text()).toBe('label.png removed.');
  });

  it("stops at the marketplace's count: a file past it is refused with the sentence, and the button is disabled", async () => {
    const two: PhotoLimits = { ...LIMITS, marketplace: 'AliExpress', maxFiles: 2 };
    const wrapper = openRefuse(two);
    await drop(wrapper, [photo('a.png'), photo('b.png'), photo('c.png')]);
    expect(names(wrapper)).toEqual(['a.png', 'b.png']);
    expect(problems(wrapper)).toEqual(['c.png was not added: AliExpress takes at most 2 photos with a decision.']);
    expect(wrapper.get('.photo-field legend').text()).toBe('Photos (optional, 2 of 2)');
    expect(wrapper.get<HTMLButtonElement>('button.photo-add').element.disabled).toBe(true);
  });

  it('has no Photos field for a selection, or where the marketplace takes none', () => {
    usePhotosStore().open('req-1', LIMITS);
    const bulk = mountDialog(RefuseDialog, { props: { option: refuseOptionFor(dispute), count: 3, photos: LIMITS } });
    expect(bulk.find('.photo-field').exists()).toBe(false);
    expect(photoLimitsOf({ ...DEMO_CAPABILITIES, evidence: { ...DEMO_CAPABILITIES.evidence, upload: false } })).toBeNull();
    expect(openRefuse(null).find('.photo-field').exists()).toBe(false);
  });

  it('waits for a photo still being added before the refusal can go', async () => {
    let release: (value: unknown) => void = () => undefined;
    desk.answer('evidence.attach', () => new Promise((resolve) => (release = resolve)));
    const wrapper = openRefuse();
    await pick(wrapper, [photo('label.png')]);
    const primary = wrapper.get<HTMLButtonElement>('button[type="submit"]');
    expect(primary.element.disabled).toBe(true);
    expect(wrapper.text()).toContain('Wait until the photos are added.');
    release({ attachmentId: 'photo-9', fileName: 'label.png', contentType: 'image/png', bytes: 2_000 });
    await settle();
    expect(primary.element.disabled).toBe(false);
  });
});

describe('the Photos field of the offer dialog', () => {
  it('sends the photo ids with the amount', async () => {
    const option = offerOptionFor(dispute);
    const wrapper = mountDialog(OfferDialog, { props: { option, order: dispute.order, request: dispute.request, photos: LIMITS } });
    await pick(wrapper, [photo('scratch.png')]);
    await wrapper.get('input.offer-input').setValue('5');
    await wrapper.get('form').trigger('submit');
    await nextTick();
    const [action] = (wrapper.emitted('submit') ?? [])[0] as [OfferAction];
    expect(action).toEqual({ type: 'offer', amount: { amountMinor: 500, currency: 'USD' }, attachments: ['photo-1'] });
  });
});
